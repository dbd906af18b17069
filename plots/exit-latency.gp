# SPDX-License-Identifier: GPL-2.0-only
# Figure 4: how long the guest stays out per exit, for one guest: the
# BPF collector's histogram of exit-to-reentry times in power-of-two
# buckets, summed over the classes, one bar per variant and bucket, as
# a share of that variant's exits (the key gives the count).
#
# datafile: the latency table pvexit plot writes (latency-GUEST.tsv):
# bucket, its range, then raw, patched and baseline (NaN where the
# variant has no exit)
# variants: those with an exit (pvexit plot knows)
W = 1600; H = 1000
if (!exists("plots")) plots = "plots"
load plots . "/common.gp"
if (!exists("variants")) variants = "raw patched baseline"

set title "Exit latency: time from exit to guest re-entry (BPF)" . on_guest . "\n" . source
set xlabel "time out of the guest per exit (power-of-two buckets)"
set ylabel "share of the variant's exits (%)"
set yrange [0:*]
set offsets 0, 0, graph 0.12, 0
set xtics rotate by 45 right
set style data histograms
set style histogram clustered gap 1

col(v) = v eq "raw" ? 3 : v eq "patched" ? 4 : 5
plot for [v in variants] datafile using col(v):xtic(2) title columnhead(col(v)) \
	lc rgb colour(v)
