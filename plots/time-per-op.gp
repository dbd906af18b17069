# SPDX-License-Identifier: GPL-2.0-only
# Figure 1: time per operation of each class, raw vs PV-patched vs the
# baseline loop, for one guest: ns, or in the lab under QEMU icount
# (time_unit "insn") emulated PowerPC instructions per operation.  Log scale: raw ops trap and cost
# microseconds, patched ones nanoseconds.  The error bars are the
# confidence interval of the median over the repetitions.
#
# datafile: the per-class table pvexit plot writes (per-class-GUEST.tsv)
# ns_variants: the variants with a time to draw (pvexit plot knows)
W = 1600; H = 1000
if (!exists("plots")) plots = "plots"
load plots . "/common.gp"
if (!exists("ns_variants")) ns_variants = "raw patched baseline"

set logscale y
if (time_unit eq "insn") {
	set title "Emulated instructions per operation: raw (trapping) vs PV-patched vs baseline" . on_guest . "\n" . source
	set ylabel "emulated PowerPC instructions per operation (QEMU icount, log scale)"
	set ytics ("1" 1, "10" 10, "100" 100, "1000" 1e3, "10⁴" 1e4, "10⁵" 1e5, "10⁶" 1e6)
} else {
	set title "Time per operation: raw (trapping) vs PV-patched vs baseline" . on_guest . "\n" . source
	set ylabel "time per operation (log scale)"
	set ytics ("10 ps" 1e-2, "100 ps" 1e-1, "1 ns" 1, "10 ns" 10, "100 ns" 100, \
		"1 µs" 1e3, "10 µs" 1e4, "100 µs" 1e5, "1 ms" 1e6, "10 ms" 1e7, "100 ms" 1e8)
}
set mytics 10
set style data histograms
set style histogram errorbars gap 1 lw 1.5

# Log scale: a zero (below the timer's resolution) has no bar.
pos(v) = v > 0 ? v : NaN

plot for [v in ns_variants] datafile \
	using (pos(column(v))):(column(v . "_lo")):(column(v . "_hi")):xtic(1) \
	title v lc rgb colour(v)
