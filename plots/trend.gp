# SPDX-License-Identifier: GPL-2.0-only
# Figure 5: time per operation of each class across several results
# files, in the order given (commits, dates), for one guest.  Top: ns/op,
# raw solid and PV-patched dashed, one colour per class (log scale).
# Bottom: the same as a change from the first file that has the row, in
# percent: a regression is a line that rises above the dotted band of
# +-threshold % (5 by default, as pvexit compare's).
#
# datafile: the trend table pvexit plot writes (trend-GUEST.tsv): file
# number, revision, date, then per class four columns: raw and patched
# ns/op, raw and patched change in % (NaN where a file lacks the row)
# labels: the classes, in column order
# series: the ns/op columns with a value to draw (pvexit plot knows)
W = 1600; H = 1200
if (!exists("plots")) plots = "plots"
load plots . "/common.gp"

stats datafile using 1 nooutput
nfiles = STATS_records
nclasses = (STATS_columns - 3) / 4
if (!exists("labels")) labels = ""
if (!exists("series")) series = ""
if (labels eq "") { do for [i = 1:nclasses] { labels = labels . " " . i } }
if (series eq "") { do for [c = 4:3 + 4 * nclasses] { if ((c - 4) % 4 < 2) { series = series . " " . c } } }

# Column c of the table: its class (from 1), and its line: dashed when
# patched.
class(c) = (c - 4) / 4 + 1
dash(c) = (c - 4) % 4 == 1 ? 2 : 1
frac(i) = nclasses > 1 ? (i - 1.0) / (nclasses - 1) : 0
ptype(i) = (i - 1) % 13 + 1
pos(v) = v > 0 ? v : NaN
if (!exists("threshold")) threshold = 5
filelabel = 'sprintf("%d: %s\n%s", $1, stringcolumn(2), stringcolumn(3))'

set palette defined (0 "#0072B2", 1 "#009E73", 2 "#E69F00", 3 "#D55E00", 4 "#CC79A7", 5 "#56B4E9")
unset colorbox
set grid xtics ytics
set xrange [0.7 : nfiles + 0.3]
set lmargin 14
set rmargin at screen 0.80
set multiplot title "Time per operation across results files" . on_guest . "\n" . source

set tmargin at screen 0.90
set bmargin at screen 0.56
set logscale y
if (time_unit eq "insn") {
	set ylabel "emulated instructions per op (icount, log)"
	set ytics ("1" 1, "10" 10, "100" 100, "1000" 1e3, "10⁴" 1e4, "10⁵" 1e5, "10⁶" 1e6)
} else {
	set ylabel "time per operation (log scale)"
	set ytics ("10 ps" 1e-2, "100 ps" 1e-1, "1 ns" 1, "10 ns" 10, "100 ns" 100, \
		"1 µs" 1e3, "10 µs" 1e4, "100 µs" 1e5, "1 ms" 1e6, "10 ms" 1e7, "100 ms" 1e8)
}
set xtics 1 format "" norotate scale 1
set key at screen 0.99, screen 0.90 top right vertical Left reverse noopaque nobox \
	font ",14" samplen 3 spacing 1
plot keyentry with lines lc rgb "black" dt 1 lw 2 title "raw", \
	keyentry with lines lc rgb "black" dt 2 lw 2 title "patched", \
	for [i = 1:nclasses] keyentry with linespoints lc palette frac frac(i) pt ptype(i) \
		ps 1.3 lw 2 title word(labels, i), \
	for [s in series] datafile using 1:(pos(column(int(s)))) with linespoints \
		lc palette frac frac(class(int(s))) pt ptype(class(int(s))) ps 1.3 lw 2 \
		dt dash(int(s)) notitle

set tmargin at screen 0.50
set bmargin at screen 0.16
unset logscale y
set ytics autofreq format "%+g%%"
set ylabel "change from the first file (%)"
set xlabel "results file: revision and date, in the order given" offset 0, -1.2
set xtics norotate center
# Many files: slanted labels, which say what the axis is on their own.
if (nfiles > 6) { set xtics rotate by 30 right; unset xlabel }
unset key
# The file labels come with the first series; each series' change in %
# is two columns to its right.
plot for [s in series] datafile using 1:(column(int(s) + 2)):xtic(@filelabel) \
		with linespoints lc palette frac frac(class(int(s))) pt ptype(class(int(s))) \
		ps 1.3 lw 2 dt dash(int(s)), \
	threshold with lines dt 3 lw 2 lc rgb "#666666", \
	-threshold with lines dt 3 lw 2 lc rgb "#666666"
unset multiplot
