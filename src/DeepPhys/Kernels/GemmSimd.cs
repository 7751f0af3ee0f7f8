using System.Numerics;
using System.Runtime.Intrinsics;

namespace DeepPhys.Kernels;

/// <summary>The SIMD width a <see cref="Gemm"/> micro-kernel runs at, chosen once at start-up (tests may force one).</summary>
internal enum GemmPath
{
    /// <summary><see cref="Vector128{T}"/>: SSE, or NEON on Arm; software-emulated where neither exists.</summary>
    Portable,

    /// <summary><see cref="Vector256{T}"/>: AVX2.</summary>
    Vector256,

    /// <summary><see cref="Vector512{T}"/>: AVX-512.</summary>
    Vector512,
}

/// <summary>
/// The few vector operations the GEMM micro-kernel needs, over one SIMD width. Implemented by
/// structs so the JIT compiles one specialised micro-kernel per width with the accumulators in registers.
/// </summary>
internal interface ISimd<T, TVector>
    where T : unmanaged, IFloatingPointIeee754<T>
    where TVector : struct
{
    static abstract int Count { get; }

    static abstract TVector Load(ref T source);

    static abstract void Store(TVector value, ref T destination);

    static abstract TVector Broadcast(T value);

    static abstract TVector Add(TVector left, TVector right);

    /// <summary><c>left · right + addend</c>, fused where the hardware has FMA.</summary>
    static abstract TVector MultiplyAdd(TVector left, TVector right, TVector addend);
}

internal readonly struct Simd512<T> : ISimd<T, Vector512<T>>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public static int Count => Vector512<T>.Count;

    public static Vector512<T> Load(ref T source) => Vector512.LoadUnsafe(ref source);

    public static void Store(Vector512<T> value, ref T destination) => value.StoreUnsafe(ref destination);

    public static Vector512<T> Broadcast(T value) => Vector512.Create(value);

    public static Vector512<T> Add(Vector512<T> left, Vector512<T> right) => left + right;

    public static Vector512<T> MultiplyAdd(Vector512<T> left, Vector512<T> right, Vector512<T> addend) =>
        typeof(T) == typeof(float)
            ? Vector512.MultiplyAddEstimate(left.As<T, float>(), right.As<T, float>(), addend.As<T, float>()).As<float, T>()
            : Vector512.MultiplyAddEstimate(left.As<T, double>(), right.As<T, double>(), addend.As<T, double>()).As<double, T>();
}

internal readonly struct Simd256<T> : ISimd<T, Vector256<T>>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public static int Count => Vector256<T>.Count;

    public static Vector256<T> Load(ref T source) => Vector256.LoadUnsafe(ref source);

    public static void Store(Vector256<T> value, ref T destination) => value.StoreUnsafe(ref destination);

    public static Vector256<T> Broadcast(T value) => Vector256.Create(value);

    public static Vector256<T> Add(Vector256<T> left, Vector256<T> right) => left + right;

    public static Vector256<T> MultiplyAdd(Vector256<T> left, Vector256<T> right, Vector256<T> addend) =>
        typeof(T) == typeof(float)
            ? Vector256.MultiplyAddEstimate(left.As<T, float>(), right.As<T, float>(), addend.As<T, float>()).As<float, T>()
            : Vector256.MultiplyAddEstimate(left.As<T, double>(), right.As<T, double>(), addend.As<T, double>()).As<double, T>();
}

internal readonly struct Simd128<T> : ISimd<T, Vector128<T>>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public static int Count => Vector128<T>.Count;

    public static Vector128<T> Load(ref T source) => Vector128.LoadUnsafe(ref source);

    public static void Store(Vector128<T> value, ref T destination) => value.StoreUnsafe(ref destination);

    public static Vector128<T> Broadcast(T value) => Vector128.Create(value);

    public static Vector128<T> Add(Vector128<T> left, Vector128<T> right) => left + right;

    public static Vector128<T> MultiplyAdd(Vector128<T> left, Vector128<T> right, Vector128<T> addend) =>
        typeof(T) == typeof(float)
            ? Vector128.MultiplyAddEstimate(left.As<T, float>(), right.As<T, float>(), addend.As<T, float>()).As<float, T>()
            : Vector128.MultiplyAddEstimate(left.As<T, double>(), right.As<T, double>(), addend.As<T, double>()).As<double, T>();
}
