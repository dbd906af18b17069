# SPDX-License-Identifier: GPL-2.0-only
# Figure 2: emulation exits per operation of each class, raw vs
# PV-patched, for one guest: what the rewrite is for.  A raw op traps
# once; a patched one should not trap at all, except where its scenario
# says so (a trampoline that must reach the host).  Each bar carries its
# value, so that a zero reads as measured, not missing.
#
# datafile: the per-class table pvexit plot writes (per-class-GUEST.tsv)
# exit_variants: raw and patched, those the file has (pvexit plot knows)
W = 1600; H = 1000
if (!exists("plots")) plots = "plots"
load plots . "/common.gp"
if (!exists("exit_variants")) exit_variants = "raw patched"

set title "Emulation exits per operation: raw vs PV-patched" . on_guest . "\n" . source
set ylabel "emulation exits per operation"
set yrange [0:*]
set offsets 0, 0, graph 0.15, 0
set style data histograms
set style histogram clustered gap 1

# n bars per class, each 1/(n + 1) of the class's slot wide (the gap is
# one bar): bar i is centred (i - (n + 1) / 2) / (n + 1) from the slot's
# middle.
n = words(exit_variants)
centre(i) = (i - (n + 1) / 2.0) / (n + 1)
fmt(v) = v != v ? "" : sprintf("%.2f", v)
exits(i) = column(word(exit_variants, i) . "_exits")
plot for [v in exit_variants] datafile using (column(v . "_exits")):xtic(1) title v \
		lc rgb colour(v), \
	for [i = 1:n] '' using ($0 + centre(i)):(exits(i)):(fmt(exits(i))) with labels \
		rotate by 90 left offset 0, 0.4 font ",13" notitle
