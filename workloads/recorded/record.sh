#!/bin/bash
# record.sh WORKLOAD [options]
# Records kmem page-allocator tracepoints from a real Debian 6.1 kernel
# booted under QEMU (TCG) and writes the raw tracefs `trace` text.
#
#   WORKLOAD   pagecache   write/sync/drop/read/overwrite/delete a file on an
#                          ext4 virtio disk (real page cache, not shmem)
#              nic         insmod nicrefill.ko: an RX ring refilled from
#                          softirq with alloc_pages(GFP_ATOMIC|__GFP_COMP, order)
#   --ram R      guest RAM (default 1G)       --smp N   CPUs (default 2)
#   --mb N       pagecache file size in MiB (default 32)
#   --mod a=1,.. nicrefill.ko parameters (order, ring, count, burst, delay_ms)
#   --buf KB     per-CPU trace buffer_size_kb (default 32768)
#   --name NAME  output base name (default linux-6.1-x86_64-pagecache or
#                linux-6.1-x86_64-nic-order<order>)
#   --outdir D   where to write (default: this script's folder)
# Writes D/NAME.trace (gzip'd to NAME.trace.gz when over 2 MB) and
# D/NAME.meta.txt (uname, cmdline, per-CPU ring-buffer stats, zoneinfo/
# buddyinfo/meminfo/vmstat before and after, dmesg, the qemu command).
#
# Reuses /work/shared/oracle (read-only): common.sh for the host packages,
# the Debian kernel, busybox; build-module.sh for the exact headers tree.
# Env: ORACLE_CACHE, KMETA, ORACLE_TIMEOUT as for the oracle scripts;
# ORACLE_SHARED=<oracle dir> (default /work/shared/oracle).
SHARED=${ORACLE_SHARED:-/work/shared/oracle}
HERE=$(cd "$(dirname "$0")" && pwd)
. "$SHARED/common.sh"

[ $# -ge 1 ] || die "usage: $0 pagecache|nic [--ram 1G] [--smp 2] [--mb N] [--mod a=1,b=2] [--buf KB] [--name NAME] [--outdir D]"
WL=$1; shift
RAM=1G SMP=2 MB=32 MOD= BUF=32768 NAME= OUTDIR=$HERE
while [ $# -gt 0 ]; do
	case "$1" in
	--ram) RAM=$2; shift 2 ;;
	--smp) SMP=$2; shift 2 ;;
	--mb) MB=$2; shift 2 ;;
	--mod) MOD=$2; shift 2 ;;
	--buf) BUF=$2; shift 2 ;;
	--name) NAME=$2; shift 2 ;;
	--outdir) OUTDIR=$2; shift 2 ;;
	*) die "unknown option $1" ;;
	esac
done
case "$WL" in
pagecache) : "${NAME:=linux-6.1-x86_64-pagecache}" ;;
nic)
	ORD=$(echo ",$MOD," | sed -n 's/.*,order=\([0-9]*\),.*/\1/p')
	: "${NAME:=linux-6.1-x86_64-nic-order${ORD:-3}}" ;;
*) die "unknown workload $WL" ;;
esac

ensure_host
command -v mkfs.ext4 > /dev/null && command -v debugfs > /dev/null ||
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q e2fsprogs > /dev/null
resolve_kernel x86_64
BB=$(busybox_for x86_64)
MODDIR=$KDIR_IMG/lib/modules/$KABI

# --- nicrefill.ko against the exact headers (build-module.sh prepares the tree)
KO=
if [ "$WL" = nic ]; then
	"$SHARED/build-module.sh" x86_64 > /dev/null
	KDIR=$CACHE/headers/${KABI}_${KVER}/usr/src/linux-headers-$KABI
	[ -e "$KDIR/Makefile" ] || die "no headers tree at $KDIR"
	BUILD=$CACHE/build/nicrefill-${KABI}_${KVER}
	rm -rf "$BUILD" && mkdir -p "$BUILD"
	cp "$HERE/module/nicrefill.c" "$HERE/module/Makefile" "$BUILD/"
	HOSTARCH=$(dpkg --print-architecture)
	log "building nicrefill.ko for $KABI ($KVER)"
	make -C "$KDIR" M="$BUILD" DEB_BUILD_ARCH="$HOSTARCH" DEB_HOST_ARCH="$HOSTARCH" \
		CONFIG_DEBUG_INFO_BTF_MODULES= modules > "$BUILD/build.log" 2>&1 ||
		{ cat "$BUILD/build.log" >&2; die "module build failed"; }
	KO=$BUILD/nicrefill.ko
fi

# --- initramfs: busybox, our /init, virtio-blk + ext4 modules (with deps)
STAGE=$CACHE/initramfs/record-$WL
rm -rf "$STAGE" && mkdir -p "$STAGE"/{bin,sbin,dev,proc,sys,tmp,modules}
cp "$BB" "$STAGE/bin/busybox"
ln -s busybox "$STAGE/bin/sh"
cp "$HERE/record-init.sh" "$STAGE/init"
chmod 755 "$STAGE/init" "$STAGE/bin/busybox"
[ -n "$KO" ] && cp "$KO" "$STAGE/nicrefill.ko"
declare -A SEEN=()
ORDER=()
addmod() {	# depth-first on the .modinfo "depends=" lists (no depmod needed)
	local m=$1 f d
	[ -n "${SEEN[$m]:-}" ] && return 0
	SEEN[$m]=1
	f=$(find "$MODDIR/kernel" -name "$m.ko" | head -1)
	[ -n "$f" ] || die "module $m not found in $MODDIR"
	for d in $(tr '\0' '\n' < "$f" | sed -n 's/^depends=//p' | head -1 | tr ',' ' '); do
		addmod "$d"
	done
	cp "$f" "$STAGE/modules/"
	ORDER+=("$m")
}
# crc32c_generic: ext4/jbd2 checksums via the crypto API (qemu64 has no SSE4.2)
for m in virtio_pci virtio_blk crc32c_generic ext4; do addmod "$m"; done
echo "${ORDER[*]}" > "$STAGE/modules/order"
mknod -m 600 "$STAGE/dev/console" c 5 1
mknod -m 666 "$STAGE/dev/null" c 1 3
INITRD=$CACHE/initramfs-record-$WL.cpio.gz
(cd "$STAGE" && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet | gzip -9) > "$INITRD"

# --- disks: vda = data (ext4, pagecache workload), vdb = output (ext4)
WORK=$CACHE/record/$NAME
rm -rf "$WORK" && mkdir -p "$WORK"
truncate -s $((MB * 2 + 128))M "$WORK/data.img"
mkfs.ext4 -q -F -L data "$WORK/data.img"
truncate -s 1G "$WORK/out.img"
mkfs.ext4 -q -F -L out "$WORK/out.img"

APPEND="console=ttyS0 panic=-1 quiet log_buf_len=8M rec.workload=$WL rec.buf=$BUF"
[ "$WL" = pagecache ] && APPEND="$APPEND rec.mb=$MB"
[ -n "$MOD" ] && APPEND="$APPEND rec.mod=$MOD"
QEMU=$(arch_qemu x86_64)
CMD=("$QEMU" -machine "pc,accel=${ORACLE_ACCEL:-tcg}" -m "$RAM" -smp "$SMP" -nographic -no-reboot
	-kernel "$VMLINUZ" -initrd "$INITRD"
	-drive "file=$WORK/data.img,format=raw,if=virtio" -drive "file=$WORK/out.img,format=raw,if=virtio"
	-append "$APPEND")
PRINTCMD=$(for a in "${CMD[@]}"; do
	a=${a//$CACHE/<cache>}
	case "$a" in *" "*) printf "'%s' " "$a" ;; *) printf '%s ' "$a" ;; esac
done)
log "booting $NAME: $KPKG $KVER, $RAM, smp $SMP"
set +e
timeout "${ORACLE_TIMEOUT:-900}" /usr/bin/time -f '%e %M' -o "$WORK/time" \
	"${CMD[@]}" < /dev/null > "$WORK/console.log" 2>&1
RC=$?
set -e
tr -d '\r' < "$WORK/console.log" > "$WORK/console.txt"
grep -q '^===REC-END===$' "$WORK/console.txt" || { cat "$WORK/console.txt" >&2; die "guest did not reach ===REC-END=== (qemu rc $RC)"; }

debugfs -R "dump /trace.txt $WORK/trace.txt" "$WORK/out.img" 2> /dev/null
debugfs -R "dump /meta.txt $WORK/meta.txt" "$WORK/out.img" 2> /dev/null
[ -s "$WORK/trace.txt" ] || die "no trace.txt on the output disk"

mkdir -p "$OUTDIR"
META=$OUTDIR/$NAME.meta.txt
{
	echo "# recorded by: workloads/recorded/record.sh $WL --ram $RAM --smp $SMP${MOD:+ --mod $MOD}$([ "$WL" = pagecache ] && echo " --mb $MB") --buf $BUF"
	echo "# package: $KPKG=$KVER ($DEBARCH) | $("$QEMU" --version | head -1) | host wall/maxrss: $(cat "$WORK/time" | tail -1)"
	echo "# qemu: ${PRINTCMD% }"
	echo "# captured $(date -u +%Y-%m-%dT%H:%M:%SZ)"
	cat "$WORK/meta.txt"
} > "$META"
rm -f "$OUTDIR/$NAME.trace" "$OUTDIR/$NAME.trace.gz"
if [ "$(stat -c %s "$WORK/trace.txt")" -gt 2000000 ]; then
	gzip -9n < "$WORK/trace.txt" > "$OUTDIR/$NAME.trace.gz"
	OUT=$OUTDIR/$NAME.trace.gz
else
	cp "$WORK/trace.txt" "$OUTDIR/$NAME.trace"
	OUT=$OUTDIR/$NAME.trace
fi
T=$WORK/trace.txt
log "$OUT: $(wc -l < "$T") lines, mm_page_alloc $(grep -c ' mm_page_alloc: ' "$T" || true), mm_page_free $(grep -c ' mm_page_free: ' "$T" || true), sha256 $(sha256sum "$OUT" | cut -d' ' -f1)"
echo "$OUT"
