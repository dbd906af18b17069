# SPDX-License-Identifier: GPL-2.0-only
# Figure 3: what PV patching saves each class, for one guest.  Top: the
# speedup, raw time over patched time (log scale; its error bar spans
# the ratios of the two confidence intervals' ends; the dashed line is
# no gain).  Bottom: emulation exits saved per operation, raw minus
# patched.
#
# datafile: the per-class table pvexit plot writes (per-class-GUEST.tsv)
W = 1600; H = 1200
if (!exists("plots")) plots = "plots"
load plots . "/common.gp"

set style data histograms
unset key
# Both panels share their left and right margins so that their bars
# line up; the class names go under the bottom one only.
set lmargin 14
set rmargin 4
set multiplot title "Savings of PV patching per class" . on_guest . "\n" . source

set tmargin at screen 0.90
set bmargin at screen 0.61
set style histogram errorbars gap 1 lw 1.5
set ylabel "speedup: raw / patched time"
set logscale y
set ytics ("0.01×" 1e-2, "0.1×" 1e-1, "1×" 1, "10×" 10, "100×" 100, "1000×" 1e3, \
	"10⁴×" 1e4, "10⁵×" 1e5, "10⁶×" 1e6, "10⁷×" 1e7, "10⁸×" 1e8)
set grid ytics nomytics
set offsets 0, 0, graph 0.05, 0
set arrow 1 from graph 0, first 1 to graph 1, first 1 nohead dt 2 lw 1.5 front
unset xtics
pos(v) = v > 0 ? v : NaN
plot datafile using (pos(column("speedup"))):"speedup_lo":"speedup_hi" lc rgb c_patched

set tmargin at screen 0.55
set bmargin at screen 0.21
unset arrow 1
unset logscale y
set ytics autofreq
set xtics rotate by 90 right scale 0
set ylabel "exits saved per operation"
set offsets 0, 0, graph 0.05, graph 0.05
set style histogram clustered gap 1
# The zero line: a rewrite that adds exits goes below it.
plot datafile using "exits_saved":xtic(1) lc rgb c_raw, 0 with lines lc rgb "black" notitle
unset multiplot
