#!/bin/bash
# SPDX-License-Identifier: MIT
# Builds the .deb with CPack (in the test's build tree if it was configured
# with prefix /usr, else in a tree of its own), installs it with dpkg -i and
# checks that every file is where Debian and the units expect it (the
# production /etc/cpd, the documentation and examples the man pages name),
# that user cpd exists and that no unit was enabled or started.
source "$(dirname "$0")/lib-package.sh"
require_root_and dpkg dpkg-deb dpkg-shlibdeps cpack

prefix=$(sed -n 's/^CMAKE_INSTALL_PREFIX:PATH=//p' "$CPD_BUILD_DIR/CMakeCache.txt")
if [ "$prefix" = /usr ]; then
    tree=$CPD_BUILD_DIR
else
    # Paths are baked into units, cpd.conf and the SDK files: a .deb needs /usr.
    tree=$CPD_BUILD_DIR/package-tree
    note "build tree has prefix $prefix; configuring $tree with prefix /usr"
    # Debian's hardening flags (fortify, stack protector, relro/now) as dpkg-buildflags gives them.
    if command -v dpkg-buildflags >/dev/null; then
        export CXXFLAGS="$(dpkg-buildflags --get CXXFLAGS) $(dpkg-buildflags --get CPPFLAGS)"
        export LDFLAGS="$(dpkg-buildflags --get LDFLAGS)"
    fi
    cmake -S "$CPD_SOURCE_DIR" -B "$tree" -DCMAKE_INSTALL_PREFIX=/usr \
        -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCPD_BUILD_TESTS=OFF >"$PKG_STATE/configure.log" 2>&1 ||
        { tail -30 "$PKG_STATE/configure.log"; fail "configure of $tree failed"; }
fi
note "building $tree"
cmake --build "$tree" -j2 >"$PKG_STATE/build.log" 2>&1 ||
    { tail -30 "$PKG_STATE/build.log"; fail "build failed"; }
rm -f "$PKG_STATE"/cpd_*.deb
note "cpack -G DEB"
(cd "$tree" && cpack -G DEB -B "$PKG_STATE/cpack" >"$PKG_STATE/cpack.log" 2>&1) ||
    { tail -30 "$PKG_STATE/cpack.log"; fail "cpack failed"; }
mv "$PKG_STATE"/cpack/cpd_*.deb "$PKG_STATE/"
deb=$(deb_path)
note "built $deb"

# Control data: name, version from project(), computed Depends, scripts, conffiles.
dpkg-deb -f "$deb" Package | grep -qx cpd || fail "package name is not cpd"
version=$(sed -n 's/^project(cpd VERSION \([0-9.]*\).*/\1/p' "$CPD_SOURCE_DIR/CMakeLists.txt")
dpkg-deb -f "$deb" Version | grep -qx "$version-1" || fail "version is not $version-1"
depends=$(dpkg-deb -f "$deb" Depends)
note "Depends: $depends"
for d in libc6 libstdc++6 'systemd | adduser' libregina3; do
    [[ $depends == *"$d"* ]] || fail "Depends lacks $d"
done
ctl=$(mktemp -d)
trap 'rm -rf "$ctl"' EXIT
dpkg-deb -e "$deb" "$ctl"
for s in postinst prerm postrm; do
    [ -x "$ctl/$s" ] || fail "maintainer script $s missing or not executable"
done
for f in /etc/cpd/cpd.conf /etc/cpd/user.direct /etc/cpd/disks/MAINT/191/profile.exec; do
    grep -qx "$f" "$ctl/conffiles" || fail "$f is not a conffile"
done
# bash completion needs bash-completion to load on demand: the package says so.
recommends=$(dpkg-deb -f "$deb" Recommends)
[[ $recommends == *bash-completion* ]] || fail "Recommends lacks bash-completion: $recommends"
if grep -v '^[[:space:]]*#' "$ctl/postinst" |
    grep -qE 'systemctl[^|]*(enable|start)|deb-systemd-helper enable|deb-systemd-invoke (start|restart)'; then
    fail "postinst enables or starts a unit"
fi

# Install. A previous cpd package (a failed run) is replaced.
note "dpkg -i"
dpkg -i "$deb" >"$PKG_STATE/dpkg-i.log" 2>&1 || { cat "$PKG_STATE/dpkg-i.log"; fail "dpkg -i failed"; }
dpkg -L cpd | sort >"$PKG_STATE/dpkg-L.txt"

libdir=$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || gcc -print-multiarch)
expect_files=(
    /usr/sbin/cpd /usr/bin/vmsend /usr/bin/vmcp /usr/bin/vmur
    /usr/libexec/cpd/cpd-guest-echo /usr/libexec/cpd/cpd-guest-sink
    /lib/systemd/system/cpd.service /lib/systemd/system/cpd.socket
    /usr/lib/sysusers.d/cpd.conf /usr/lib/tmpfiles.d/cpd.conf /lib/udev/rules.d/60-cpd-latency.rules
    /etc/cpd/cpd.conf
    /usr/share/man/man8/cpd.8.gz /usr/share/man/man1/vmsend.1.gz /usr/share/man/man1/vmcp.1.gz /usr/share/man/man1/vmur.1.gz
    /usr/share/man/man1/cmsconsole.1.gz /usr/share/man/man5/cpd.conf.5.gz
    /usr/share/man/man5/cpd-directory.5.gz
    /usr/share/bash-completion/completions/vmsend /usr/share/bash-completion/completions/vmcp /usr/share/bash-completion/completions/vmur
    /usr/share/bash-completion/completions/cmsconsole /usr/share/bash-completion/completions/cpd
    /usr/share/doc/cpd/copyright /usr/share/doc/cpd/changelog.Debian.gz
    /usr/share/doc/cpd/README.md.gz /usr/share/doc/cpd/design.md.gz
    /usr/share/doc/cpd/directory.md.gz /usr/share/doc/cpd/cms.md.gz
    /usr/share/doc/cpd/examples/cpd.conf /usr/share/doc/cpd/examples/user.direct
    /usr/share/doc/cpd/examples/disks/MAINT/191/profile.exec
    /usr/share/doc/cpd/examples/disks/RXECHO/191/profile.exec
    /usr/share/doc/cpd/examples/sdk-example/hello.cpp /usr/share/doc/cpd/examples/sdk-example/README.md
    /usr/share/doc/cpd/examples/iucv-rr/rr_server.cpp /usr/share/doc/cpd/examples/iucv-rr/README.md
    /etc/cpd/user.direct /etc/cpd/disks/MAINT/191/profile.exec
    /usr/include/cpd/guest/run.hpp /usr/include/cpd/guest/handler.hpp
    /usr/include/cpd/proto/userid.hpp /usr/include/cpd/ipc/ring.hpp
    "/usr/lib/$libdir/libcpd_guest.a" "/usr/lib/$libdir/libcpd_ipc.a" "/usr/lib/$libdir/libcpd_proto.a"
    "/usr/lib/$libdir/pkgconfig/cpd-guest.pc"
    "/usr/lib/$libdir/cmake/cpd-guest/cpd-guest-config.cmake"
    "/usr/lib/$libdir/cmake/cpd-guest/cpd-guest-config-version.cmake"
    "/usr/lib/$libdir/cmake/cpd-guest/cpd-guest-targets.cmake"
)
for f in "${expect_files[@]}"; do
    [ -e "$f" ] || fail "missing after install: $f"
    [ -d "$f" ] || grep -qxF "$f" "$PKG_STATE/dpkg-L.txt" || fail "$f exists but is not in dpkg -L cpd"
done
if cmake --build "$tree" --target help 2>/dev/null | grep -qx '\.\.\. cmsconsole'; then
    [ -x /usr/bin/cmsconsole ] || fail "missing after install: /usr/bin/cmsconsole"
fi
for f in /usr/sbin/cpd /usr/bin/vmsend /usr/bin/vmcp /usr/libexec/cpd/cpd-guest-echo; do
    [ -x "$f" ] || fail "$f is not executable"
    if file "$f" 2>/dev/null | grep -q 'not stripped'; then fail "$f is not stripped"; fi
done

# The installed configuration points at the installed paths.
grep -qE '^guest_dir *= */usr/libexec/cpd$' /etc/cpd/cpd.conf || fail "cpd.conf guest_dir is wrong"
grep -qE '^state_dir *= */var/lib/cpd$' /etc/cpd/cpd.conf || fail "cpd.conf state_dir is wrong"
grep -q '^ExecStart=/usr/sbin/cpd ' /lib/systemd/system/cpd.service || fail "ExecStart is not /usr/sbin/cpd"
grep -q "^libdir=/usr/lib/$libdir$" "/usr/lib/$libdir/pkgconfig/cpd-guest.pc" || fail "cpd-guest.pc libdir wrong"
pkg-config --exists cpd-guest || fail "pkg-config does not find cpd-guest"

# /etc/cpd holds the production files, not the developer sample: cpd.conf
# names no file the package lacks and sets each key once, with no key both set
# and shown commented out; the directory is OPERATOR (root) and MAINT only.
grep -q 'docs/' /etc/cpd/cpd.conf && fail "cpd.conf points to docs/, which is not installed"
grep -q 'Set for the installed system' /etc/cpd/cpd.conf && fail "cpd.conf has appended keys"
set_keys=$(sed -n 's/^\([a-z_]*\) *=.*/\1/p' /etc/cpd/cpd.conf)
dup=$(sort <<<"$set_keys" | uniq -d)
[ -z "$dup" ] || fail "cpd.conf sets $dup more than once"
for k in $set_keys; do
    grep -qE "^#$k *=" /etc/cpd/cpd.conf && fail "cpd.conf sets $k and also shows it commented out"
done
users=$(awk 'toupper($1) == "USER" { print toupper($2) }' /etc/cpd/user.direct | tr '\n' ' ')
[ "$users" = "OPERATOR MAINT " ] || fail "/etc/cpd/user.direct defines '$users', expected OPERATOR MAINT"
awk 'toupper($1) == "USER" { u = toupper($2) } u == "OPERATOR" && toupper($1) == "POSIXINFO" && $2 == "UID" && $3 == "0" { ok = 1 } END { exit !ok }' \
    /etc/cpd/user.direct || fail "OPERATOR is not mapped to root (POSIXINFO UID 0)"
awk 'toupper($1) == "USER" { u = toupper($2) } u == "MAINT" && toupper($1) == "MDISK" { ok = 1 } END { exit !ok }' \
    /etc/cpd/user.direct || fail "MAINT has no MDISK"
grep -qiE 'alice|bob|flood' /etc/cpd/user.direct && fail "/etc/cpd/user.direct is the developer sample"
cmp -s "$CPD_SOURCE_DIR/packaging/sample/user.direct" /usr/share/doc/cpd/examples/user.direct ||
    fail "the developer sample is not /usr/share/doc/cpd/examples/user.direct"

# Every /usr/share/doc/cpd path the man pages name is installed.
for page in /usr/share/man/man1/vmsend.1.gz /usr/share/man/man1/vmcp.1.gz \
    /usr/share/man/man1/cmsconsole.1.gz /usr/share/man/man5/cpd.conf.5.gz \
    /usr/share/man/man5/cpd-directory.5.gz /usr/share/man/man8/cpd.8.gz; do
    [ -e "$page" ] || continue
    for path in $(zcat "$page" | sed 's/\\-/-/g; s/\\f[BIRP]//g' | grep -oE '/usr/share/doc/cpd[^ ),;]*' | sed 's/[.]$//' | sort -u); do
        [ -e "$path" ] || fail "${page##*/} names $path, which is not installed"
    done
done
zcat /usr/share/man/man8/cpd.8.gz | grep -q '/usr/share/doc/cpd' || fail "cpd(8) does not say where the documentation is"

# The completion script works without bash-completion: sourced into a bare bash.
comp=$(bash --norc --noprofile -c 'source /usr/share/bash-completion/completions/cpd
    COMP_WORDS=(cpd --hel); COMP_CWORD=1; _cpd_complete; echo "${COMPREPLY[*]}"')
[ "$comp" = "--help" ] || fail "completion of 'cpd --hel' in a bare bash offered '$comp'"

# The service user, its directories, and the installed units' verification.
getent passwd cpd >/dev/null || fail "user cpd was not created"
getent group cpd >/dev/null || fail "group cpd was not created"
# The CPU latency device's group: no members (cpd.service adds it to cpd alone).
[ "$(getent group cpd-latency | cut -d: -f4)" = "" ] && getent group cpd-latency >/dev/null ||
    fail "group cpd-latency was not created, or has members: $(getent group cpd-latency)"
[ "$(getent passwd cpd | cut -d: -f7)" = /usr/sbin/nologin ] || fail "user cpd has a login shell"
[ "$(stat -c '%U:%G %a' /var/lib/cpd)" = "cpd:cpd 711" ] || fail "/var/lib/cpd is $(stat -c '%U:%G %a' /var/lib/cpd)"
if [ -e /etc/cpd/user.direct ]; then
    [ "$(stat -c '%U:%G %a' /etc/cpd/user.direct)" = "root:cpd 640" ] ||
        fail "/etc/cpd/user.direct is $(stat -c '%U:%G %a' /etc/cpd/user.direct)"
fi
if command -v systemd-analyze >/dev/null; then
    out=$(systemd-analyze verify --man=no /lib/systemd/system/cpd.service /lib/systemd/system/cpd.socket 2>&1)
    [ -z "$out" ] || fail "installed units do not verify: $out"
fi
# Nothing enabled by surprise.
for w in /etc/systemd/system/multi-user.target.wants/cpd.service /etc/systemd/system/sockets.target.wants/cpd.socket; do
    [ ! -e "$w" ] || fail "$w: the package enabled a unit"
done
[ -z "$(package_pids)" ] || fail "installation started a process: $(package_pids)"
echo "PASS: package built and installed ($deb)"
