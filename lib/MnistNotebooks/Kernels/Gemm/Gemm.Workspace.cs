using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace MnistNotebooks.Kernels;

// The pack buffers and their sizes.
internal static unsafe partial class Gemm
{
    /// <summary>Pack buffers, 64-byte aligned in a pinned array, grown on demand and then reused: one per calling thread,
    /// and one per helper slot of a calling thread's parallel products (so a worker never needs its own). Float and
    /// double products share them.</summary>
    internal sealed class Workspace
    {
        [ThreadStatic]
        private static Workspace? current;

        /// <summary>The calling thread's own workspace.</summary>
        internal static Workspace Current => current ??= new Workspace();

        private byte[] storage = [];

        internal byte* PackedA { get; private set; }
        internal byte* PackedB { get; private set; }
        internal byte* Tile { get; private set; }

        /// <summary>Grows the buffers, if needed, to hold A, B and tile blocks of these sizes, and points at them.</summary>
        internal Workspace Reserve(BufferSizes sizes)
        {
            int aSize = RoundUp(sizes.A, 64),
                bSize = RoundUp(sizes.B, 64),
                tSize = RoundUp(sizes.Tile, 64);
            int needed = aSize + bSize + tSize + 64;
            if (storage.Length < needed)
            {
                storage = GC.AllocateUninitializedArray<byte>(Math.Max(needed, storage.Length * 2), pinned: true);
            }
            byte* start = (byte*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(storage));
            byte* aligned = (byte*)(((nuint)start + 63) & ~(nuint)63);
            PackedA = aligned;
            PackedB = aligned + aSize;
            Tile = aligned + aSize + bSize;
            return this;
        }
    }

    /// <summary>Bytes of packed A, packed B and tile that a block needs for any block of C up to rows × cols.</summary>
    internal readonly record struct BufferSizes(int A, int B, int Tile)
    {
        internal static BufferSizes For(in Problem p, int rows, int cols)
        {
            int e = p.ElementSize;
            if (p.Narrow)
            {
                int kc = p.KcMax;
                return new BufferSizes(NarrowRows * kc * e, p.Nr * kc * e, NarrowRows * p.Nr * e);
            }
            // RoundUp(min(length, max)) bounds BlockSize(length, max, multiple) for every length up to this one (BlockSize
            // itself is not monotone: 144 rows are one block of 144, 145 two of 78), so a sub-block never needs more.
            int kcMax = p.KcMax;
            return new BufferSizes(
                RoundUp(Math.Min(rows, MC), MR) * kcMax * e,
                RoundUp(Math.Min(cols, NC), p.Nr) * kcMax * e,
                MR * p.Nr * e
            );
        }
    }
}
