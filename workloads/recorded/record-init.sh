#!/bin/busybox sh
# /init of the recording initramfs (copied there by record.sh).
# Loads the virtio/ext4 modules, mounts the output disk (/dev/vdb, ext4)
# at /out and, for pagecache, the data disk (/dev/vda, ext4) at /data,
# enables the kmem page tracepoints, runs ONE workload, stops tracing,
# copies tracefs `trace` and provenance files to /out, powers off.
#
# Kernel command line knobs (ignored by the kernel itself):
#   rec.workload=pagecache|nic
#   rec.mb=N          pagecache: file size in MiB (default 32)
#   rec.mod=a=1,b=2   nic: nicrefill.ko parameters, comma separated
#   rec.buf=KB        per-CPU trace buffer_size_kb (default 32768)
#   rec.events=a,b    kmem events to enable (default: see EVENTS below)

/bin/busybox mkdir -p /bin /sbin /proc /sys /dev /tmp /out /data
/bin/busybox --install -s /bin
export PATH=/bin:/sbin

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
mount -t tmpfs tmpfs /tmp 2>/dev/null
mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null
echo 1 > /proc/sys/kernel/printk

WL= MB=32 MOD= BUF=32768
EVENTS=mm_page_alloc,mm_page_free,mm_page_free_batched,mm_page_alloc_zone_locked,mm_page_pcpu_drain,mm_page_alloc_extfrag
for w in $(cat /proc/cmdline); do
	case "$w" in
	rec.workload=*) WL=${w#rec.workload=} ;;
	rec.mb=*) MB=${w#rec.mb=} ;;
	rec.mod=*) MOD=${w#rec.mod=} ;;
	rec.buf=*) BUF=${w#rec.buf=} ;;
	rec.events=*) EVENTS=${w#rec.events=} ;;
	esac
done

echo "===REC-BEGIN==="
for m in $(cat /modules/order); do
	insmod /modules/$m.ko || echo "insmod $m failed"
done
mount -t ext4 /dev/vdb /out || { echo "cannot mount /dev/vdb"; poweroff -f; }
[ "$WL" = pagecache ] && { mount -t ext4 /dev/vda /data || echo "cannot mount /dev/vda"; }

T=/sys/kernel/tracing
# Wait until the kernel's CRNG is initialised (reading /dev/random blocks and
# runs the jitter entropy generator): before that, %p in trace output prints
# "(____ptrval____)" instead of a hashed page pointer.
head -c 1 /dev/random > /dev/null
meta() { echo "=== $* ==="; }
state() {
	for f in /proc/buddyinfo /proc/zoneinfo /proc/meminfo /proc/vmstat; do
		meta "$1 $f"; cat $f
	done
}
{
	meta uname; uname -a
	meta version; cat /proc/version
	meta cmdline; cat /proc/cmdline
	meta nproc; nproc
	meta workload; echo "workload=$WL mb=$MB mod=$MOD buffer_size_kb=$BUF events=$EVENTS"
	meta trace_clock; cat $T/trace_clock
	meta options/hash-ptr; cat $T/options/hash-ptr 2>&1
	meta mounts; cat /proc/mounts
	state before
} > /out/meta.txt 2>&1

# set up tracing; nothing is recorded until tracing_on=1
echo 0 > $T/tracing_on
echo nop > $T/current_tracer
echo "$BUF" > $T/buffer_size_kb
for e in $(echo "$EVENTS" | tr ',' ' '); do
	echo 1 > $T/events/kmem/$e/enable || echo "cannot enable $e" >> /out/meta.txt
done
echo > $T/trace
sync
echo "recording: $WL"
echo 1 > $T/tracing_on
U0=$(cat /proc/uptime)

case "$WL" in
pagecache)
	# 1. write a file: page cache pages + ext4/jbd2 metadata, writeback
	dd if=/dev/zero of=/data/file bs=1M count=$MB 2>/dev/null
	sync
	# 2. drop the (now clean) page cache: frees it
	echo 3 > /proc/sys/vm/drop_caches
	# 3. read it back: readahead allocations into the page cache
	cat /data/file > /dev/null
	# 4. re-read (cache hits, few events), overwrite half, delete, drop
	cat /data/file > /dev/null
	dd if=/dev/zero of=/data/file bs=1M count=$((MB / 2)) conv=notrunc 2>/dev/null
	sync
	rm /data/file
	sync
	echo 3 > /proc/sys/vm/drop_caches
	;;
nic)
	ARGS=$(echo "$MOD" | tr ',' ' ')
	insmod /nicrefill.ko $ARGS
	echo "insmod rc=$?" >> /out/meta.txt
	R=
	for p in order ring count burst delay_ms received allocated freed failed; do
		R="$R $p=$(cat /sys/module/nicrefill/parameters/$p)"
	done
	rmmod nicrefill
	;;
*) echo "unknown rec.workload=$WL" ;;
esac

echo 0 > $T/tracing_on
U1=$(cat /proc/uptime)
{
	meta workload-uptime; echo "start $U0"; echo "end $U1"
	[ -n "$R" ] && { meta nicrefill-results; echo $R; }
	for c in $T/per_cpu/cpu*; do meta "$c/stats"; cat $c/stats; done
	meta buffer_size_kb; cat $T/buffer_size_kb
	state after
	meta dmesg; dmesg
} >> /out/meta.txt 2>&1
cat $T/trace > /out/trace.txt
echo "trace bytes: $(wc -c < /out/trace.txt)"
[ "$WL" = pagecache ] && umount /data
umount /out
sync
echo "===REC-END==="
poweroff -f
