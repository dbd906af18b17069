# SPDX-License-Identifier: GPL-2.0-only
# Figure 4: the headline figures of each class, for one guest.  Top: the
# exit path, (raw - baseline) per emulation exit: in the lab under icount
# the instructions KVM PR runs per exit.  Bottom: what the PV rewrite
# itself costs per operation, patched - baseline, where it avoids every
# exit (classes whose patched form still exits have no bar).
#
# datafile: the per-class table pvexit plot writes (per-class-GUEST.tsv)
W = 1600; H = 1200
if (!exists("plots")) plots = "plots"
load plots . "/common.gp"

set style data histograms
set style histogram clustered gap 1
unset key
set lmargin 14
set rmargin 4
set multiplot title "Exit path and the PV rewrite's own cost per class" . on_guest . "\n" . source

set tmargin at screen 0.90
set bmargin at screen 0.61
set ylabel unit_word . " per exit: (raw - baseline) / exits"
set offsets 0, 0, graph 0.05, 0
# From 0 up, and down too where a bar is negative: a results file may
# have a raw row cheaper than its baseline.
set yrange [*<0:0<*]
unset xtics
plot datafile using "path_per_exit" lc rgb c_raw

set tmargin at screen 0.55
set bmargin at screen 0.21
set xtics rotate by 90 right scale 0
set ylabel unit_word . " per op: patched - baseline"
set offsets 0, 0, graph 0.05, graph 0.05
set yrange [*:*]
plot datafile using "pv_cost_per_op":xtic(1) lc rgb c_patched, 0 with lines lc rgb "black" notitle
unset multiplot
