#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Write a send-ready copy of the series: 0000-cover-letter.patch from
# patches/cover-letter.txt, then every patch of patches/series numbered
# "[PATCH v<N> k/n]", with the base named at the end of the cover letter.
# The repository keeps a neutral project identity, which can not certify
# the Developer's Certificate of Origin: From: and Signed-off-by: of that
# identity become the submitter's own (git config user.name/user.email).
# A patch by anyone else keeps its author. Messages, diffs and any text
# below --- are copied as they are.
# Usage: VERSION=N harness/dev/series.sh [DIR]   (default build/outgoing;
# VERSION defaults to 1)
set -euo pipefail
# shellcheck source=harness/lib.sh
. "$(dirname "$0")/../lib.sh"
out=${1:-$BUILD_DIR/outgoing}
version=${VERSION:-1}
cover=$PATCHES/cover-letter.txt
project="Seed 07be2482 maintainers <maintainers@users.noreply.h-seed-07be2482.example>"

[[ $version =~ ^[1-9][0-9]*$ ]] || die "VERSION=$version is no version number (1, 2, ...)"
[ -f "$cover" ] || die "no cover letter $cover"
# the submitter's identity, as git would sign with it
if ! name=$(git -C "$TOP" config user.name) || ! email=$(git -C "$TOP" config user.email); then
	die "no git identity: the series is sent and signed off in your name." \
		"Set it: git config --global user.name 'Your Name';" \
		"git config --global user.email you@example.org"
fi
who="$name <$email>"
case $who in
"$project" | *"<maintainers@users.noreply.h-seed-07be2482.example>" | *"<klp-late@localhost>")
	die "git identity '$who' is a placeholder of the project, which can not sign" \
		"the Developer's Certificate of Origin: set your own with git config user.name/user.email" ;;
esac
pkg=$(base_version)
[ "$pkg" != "linux-source-6.1 unknown" ] ||
	die "linux-source-6.1 is not installed (harness/deps.sh): the cover letter names the base by its version"

list=$(series_patches)
n=$(printf '%s\n' "$list" | grep -c .) || die "$PATCHES/series lists no patch"
width=${#n}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The From: header as git writes it for this identity (RFC 2047 words for a
# name outside ASCII), and the MIME headers git adds then: taken from
# format-patch itself rather than encoded here.
git -c init.defaultBranch=main init -q "$tmp/id"
echo identity >"$tmp/id/f"
git -C "$tmp/id" add f
git -C "$tmp/id" -c user.name="$name" -c user.email="$email" \
	commit -q -m identity -m "Signed-off-by: $who"
git -C "$tmp/id" format-patch -q --stdout --root HEAD >"$tmp/id.patch"
awk '/^$/ { exit }
     /^[^ \t]/ { keep = /^From: / }
     keep' "$tmp/id.patch" >"$tmp/from"
awk '/^$/ { exit }
     /^(MIME-Version|Content-Type|Content-Transfer-Encoding):/' "$tmp/id.patch" >"$tmp/mime"
grep -q '^From: ' "$tmp/from" || die "git format-patch wrote no From: header for '$who'"

# restamp K FILE: FILE as patch K of n, in the submitter's name where it
# was in the project's
restamp() {
	K=$1 N=$n V=$version W=$width FROM=$tmp/from MIME=$tmp/mime \
	OLD_SOB="Signed-off-by: $project" SOB="Signed-off-by: $who" \
	PROJECT_EMAIL=${project#* <} \
	awk '
	function trailer(s) { return s ~ /^[A-Za-z][A-Za-z0-9-]*: / }
	function cat(file,  l) { while ((getline l < file) > 0) print l }
	BEGIN { part = "head" }
	# the headers: raw lines kept for printing, unfolded ones for matching
	part == "head" && /^[ \t]/ && h { raw[h] = raw[h] "\n" $0; hdr[h] = hdr[h] $0; next }
	part == "head" && $0 != "" { raw[++h] = $0; hdr[h] = $0; next }
	part == "head" {
		for (i = 1; i <= h; i++) {
			if (hdr[i] ~ /^From: / && index(hdr[i], "<" ENVIRON["PROJECT_EMAIL"])) {
				cat(ENVIRON["FROM"])
				continue
			}
			if (sub(/^Subject: \[PATCH\]/, sprintf("Subject: [PATCH v%d %0" ENVIRON["W"] "d/%d]",
								ENVIRON["V"], ENVIRON["K"], ENVIRON["N"]), raw[i]))
				subject = 1
			if (hdr[i] ~ /^Content-Type:/) ctype = 1
			print raw[i]
		}
		if (!subject) { print "no \"Subject: [PATCH]\" header" > "/dev/stderr"; exit 1 }
		# a name outside ASCII needs a charset, unless the patch has one
		if (!ctype) cat(ENVIRON["MIME"])
		print
		part = "msg"
		next
	}
	part == "msg" && $0 != "---" {
		if ($0 == ENVIRON["OLD_SOB"]) $0 = ENVIRON["SOB"]
		if ($0 == ENVIRON["SOB"]) { if (signed) next; signed = 1 }
		msg[++m] = $0
		next
	}
	part == "msg" {
		while (m > 0 && msg[m] == "") m--
		for (i = 1; i <= m; i++) print msg[i]
		if (!signed) {
			# join the trailer block the message ends with, if any
			for (i = m; i > 0 && msg[i] != ""; i--)
				if (!trailer(msg[i])) break
			if (m == 0 || (i > 0 && msg[i] != "") || i == m) print ""
			print ENVIRON["SOB"]
		}
		part = "rest"
	}
	{ print }
	END { if (part != "rest") { print "no --- line" > "/dev/stderr"; exit 1 } }
	' "$2"
}

# author FILE: the (unfolded) From: of FILE, the submitter for the project
author() {
	local a
	a=$(awk '/^$/ { exit }
		/^[^ \t]/ { keep = /^From: / }
		keep { sub(/^From: /, ""); a = a $0 } END { print a }' "$1")
	case $a in
	*"<${project#* <}") echo "$who" ;;
	*) echo "$a" ;;
	esac
}

# the log that git shortlog makes the cover letter's list from
: >"$tmp/log"
k=0
for p in $list; do
	k=$((k + 1))
	[ -f "$PATCHES/$p" ] || die "$PATCHES/series names missing file $p"
	restamp "$k" "$PATCHES/$p" >"$tmp/$(printf '%04d' "$k")-${p#[0-9][0-9][0-9][0-9]-}" ||
		die "could not restamp $p"
	a=$(author "$PATCHES/$p")
	s=$(patch_subject "$PATCHES/$p")
	# git shortlog keeps the order of a log, newest first: prepend
	printf 'commit 0\nAuthor: %s\n\n    %s\n\n' "$a" "$s" | cat - "$tmp/log" >"$tmp/log.new"
	mv "$tmp/log.new" "$tmp/log"
done

# The cover letter: its first line is the subject, then a blank line.
subject=$(head -n 1 "$cover")
if [ -z "$subject" ] || [ -n "$(sed -n 2p "$cover")" ]; then
	die "$cover: the first line is the subject, the second is empty"
fi
upstream=${pkg#linux-source-6.1 }
upstream=${upstream%-*}
{
	echo "From 0000000000000000000000000000000000000000 Mon Sep 17 00:00:00 2001"
	cat "$tmp/from"
	echo "Date: $(LC_ALL=C date -R)"
	printf 'Subject: [PATCH v%d %0*d/%d] %s\n' "$version" "$width" 0 "$n" "$subject"
	# the letter may be UTF-8 whatever the name is
	echo "MIME-Version: 1.0"
	echo "Content-Type: text/plain; charset=UTF-8"
	echo "Content-Transfer-Encoding: 8bit"
	echo
	tail -n +3 "$cover"
	echo
	git shortlog -w72,2,4 <"$tmp/log"
	echo "base: $pkg of Debian 12: Linux $upstream with Debian's"
	echo "patches, /usr/src/linux-source-6.1.tar.xz"
} >"$tmp/0000-cover-letter.patch"

rm -rf "$out"
mkdir -p "$out"
cp "$tmp"/[0-9]*.patch "$out/"
say "wrote $out: cover letter and $n patches, [PATCH v$version k/$n], as $who"
