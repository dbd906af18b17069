# SPDX-License-Identifier: GPL-2.0-only
# Shared by every figure script: defaults for running a script by hand,
# the terminal, fonts and the variants' colours.  A script sets W and H
# (pixels) and loads this file; pvexit plot passes the rest with -e.

if (!exists("term")) term = "png"
if (!exists("out")) out = "figure." . term
if (!exists("guest")) guest = ""
if (!exists("source")) source = datafile
if (!exists("time_unit")) time_unit = "ns"
# What one time figure is counted in, for labels.
unit_word = time_unit eq "insn" ? "emulated instructions" : "ns"
# Every title: what the figure shows, for which guest; then the results
# it comes from on a second line.
on_guest = guest eq "" ? "" : " — " . guest

set encoding utf8
# Fonts are sized for a figure printed across a page: 1600 pixels wide
# on A4 landscape is about 150 dpi.  The SVG names CSS's generic family,
# which every viewer has; pngcairo asks fontconfig.
if (term eq "svg") {
	set terminal svg size W, H font "sans-serif,16" noenhanced background "white"
} else {
	if (term ne "png") {
		print "common.gp: term must be png or svg, not '" . term . "'"
		exit status 1
	}
	set terminal pngcairo size W, H font "Sans,16" noenhanced background "white"
}
set output out

# Colour-blind safe (Okabe and Ito): raw traps, patched does not,
# baseline is the loop alone.
c_raw = "#D55E00"
c_patched = "#0072B2"
c_baseline = "#999999"
colour(variant) = variant eq "raw" ? c_raw : variant eq "patched" ? c_patched : c_baseline

set datafile separator whitespace
set datafile missing "NaN"
set style fill solid 1.0 border rgb "black"
set grid ytics mytics lc rgb "#dddddd" lt 1
set border 3
set tics nomirror
set xtics rotate by 90 right scale 0
# The tables have a header line: column names, not data.
set key autotitle columnheader
set key inside top left horizontal Left reverse samplen 2 opaque box
set offsets 0, 0, graph 0.1, 0
