#!/usr/bin/env python3
"""Zero, in place, the GPU code in CUDA libraries that a GPU of one architecture can never load.

Why: the CUDA check (bench/gpu-check.sh) must carry ONNX Runtime's CUDA provider and the CUDA 12 / cuDNN 9 libraries
to a device in 64 MiB calls, and most of their bytes are kernels for other GPUs. Each library holds fatbin containers
(magic 0xBA55ED50); each container holds entries of SASS (machine code for one architecture) or PTX (for the driver
to compile). A GPU of compute capability 9.0 loads an sm_90 SASS entry where its container has one, else compiles
PTX; SASS for another major architecture can never run on it. So, per container: if it has sm_90 SASS, every other
entry's payload is zeroed; if not, its PTX is kept and its SASS zeroed. Headers stay, so every offset and the
driver's walk over the container are unchanged, and the zeros compress to nothing.

Usage: fatbin_slim.py [--arch 90] [--dry-run] LIB...   (a benchmark tool; the product never runs it)
"""
import argparse
import collections
import mmap
import struct
import sys

MAGIC = b'\x50\xed\x55\xba'  # 0xBA55ED50, little-endian
PTX, SASS = 1, 2


def entries(buf, start):
    """The entries of the container at start, or None where the bytes only look like one."""
    _, version, header_size, size = struct.unpack_from('<IHHQ', buf, start)
    if version != 1 or header_size != 16 or size == 0 or start + 16 + size > len(buf):
        return None
    out, off, end = [], start + 16, start + 16 + size
    while off < end:
        if off + 64 > end:
            return None
        kind, _, entry_header, payload, _, _, _, _, arch = struct.unpack_from('<HHIQIIHHI', buf, off)
        if kind not in (PTX, SASS) or not 64 <= entry_header <= 256 or off + entry_header + payload > end:
            return None
        out.append((off + entry_header, payload, kind, arch))
        off += entry_header + payload
    return out if off == end else None


def slim(path, arch, dry_run):
    with open(path, 'rb' if dry_run else 'r+b') as f:
        buf = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ if dry_run else mmap.ACCESS_WRITE)
        kept = zeroed = containers = ptx_only = 0
        by_target = collections.Counter()
        pos = 0
        while (i := buf.find(MAGIC, pos)) >= 0:
            es = entries(buf, i)
            if es is None:
                pos = i + 4
                continue
            containers += 1
            has_sass = any(k == SASS and a == arch for _, _, k, a in es)
            ptx_only += not has_sass
            for payload_at, n, kind, a in es:
                by_target[('sass' if kind == SASS else 'ptx') + str(a)] += n
                if (kind == SASS and a == arch) or (not has_sass and kind == PTX and a <= arch):
                    kept += n
                else:
                    zeroed += n
                    if not dry_run:
                        buf[payload_at:payload_at + n] = bytes(n)
            pos = i + 16 + struct.unpack_from('<Q', buf, i + 8)[0]
        if not dry_run:
            buf.flush()
        size = len(buf)
        buf.close()
    top = ', '.join(f'{k} {v / 1e6:.0f}' for k, v in by_target.most_common(6))
    print(f'{path}: {size / 1e6:.1f} MB, {containers} fatbin containers ({ptx_only} without sm_{arch} SASS), '
          f'GPU code kept {kept / 1e6:.1f} MB, {"would zero" if dry_run else "zeroed"} {zeroed / 1e6:.1f} MB '
          f'[{top or "no GPU code"}]')


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('--arch', type=int, default=90, help='SM version of the target GPU (90: H100/H200)')
    ap.add_argument('--dry-run', action='store_true', help='count only')
    ap.add_argument('libs', nargs='+')
    args = ap.parse_args(argv)
    for lib in args.libs:
        slim(lib, args.arch, args.dry_run)


if __name__ == '__main__':
    main(sys.argv[1:])
