#!/usr/bin/env bash
# Builds the micro VM guest the qemu backend boots, from Debian packages only: an uncompressed
# vmlinux unpacked from Debian's kernel package (not installed), and an initramfs with
# busybox-static, the virtio network modules and the bundled ringfence-workload with the shared
# libraries it needs. Usage: scripts/build-guest.sh OUT_DIR [WORKLOAD_BINARY]
# Verified by hand: QEMU microvm under TCG boots it and the workload answers on a forwarded port.
set -euo pipefail
out="$(realpath -m "${1:?usage: build-guest.sh OUT_DIR [WORKLOAD_BINARY]}")"
workload="${2:-$(dirname "$0")/../build/ringfence-workload}"
mkdir -p "$out"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
pkg=$(apt-cache search --names-only '^linux-image-6\.1\.0-[0-9]+-amd64$' | awk '{print $1}' | sort -V | tail -1)
(cd "$work" && apt-get download "$pkg" >/dev/null 2>&1)
dpkg-deb -x "$work"/*.deb "$work/root"
kver=$(ls "$work/root/lib/modules")
/usr/bin/python3 - "$work/root/boot/vmlinuz-$kver" "$out/vmlinux" <<'PY'
import lzma, sys
data = open(sys.argv[1], "rb").read()
start = data.find(b"\xfd7zXZ\x00")  # the XZ payload inside the bzImage
open(sys.argv[2], "wb").write(lzma.LZMADecompressor(format=lzma.FORMAT_XZ).decompress(data[start:]))
PY
init="$work/initrd"
mkdir -p "$init"/{bin,proc,sys,dev,tmp,lib/modules}
cp /bin/busybox "$init/bin/"
mods="$work/root/lib/modules/$kver/kernel"
for m in drivers/virtio/virtio_ring drivers/virtio/virtio drivers/virtio/virtio_mmio net/core/failover \
         drivers/net/net_failover drivers/net/virtio_net; do
  cp "$mods/$m.ko" "$init/lib/modules/"
done
cp "$workload" "$init/bin/ringfence-workload"
for lib in $(ldd "$workload" | grep -o '/[^ ]*'); do
  mkdir -p "$init$(dirname "$lib")"
  cp -L "$lib" "$init$lib"
done
cat > "$init/init" <<'INIT'
#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc proc /proc; mount -t sysfs sys /sys; mount -t devtmpfs dev /dev
for m in virtio_ring virtio virtio_mmio failover net_failover virtio_net; do insmod /lib/modules/$m.ko; done
ip link set lo up; ip link set eth0 up; ip addr add 10.0.2.15/24 dev eth0; ip route add default via 10.0.2.2
args=""
for w in $(cat /proc/cmdline); do case "$w" in rf.args=*) args=$(echo "${w#rf.args=}" | tr ',' ' ');; esac; done
echo "RINGFENCE-GUEST-UP"
exec /bin/ringfence-workload --host 0.0.0.0 --port 8080 $args
INIT
chmod +x "$init/init"
(cd "$init" && find . | busybox cpio -o -H newc 2>/dev/null | gzip -1 > "$out/initrd.cpio.gz")
echo "$out/vmlinux $out/initrd.cpio.gz (kernel $kver)"
