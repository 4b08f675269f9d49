using System.Numerics;
using Crlm.Core.Imaging;

namespace Crlm.Core.Synthetic;

/// <summary>
/// Separable Gaussian blur in place on an i-fastest float volume, edges clamped. Every pass is a
/// sum of whole shifted rows scaled by kernel weights, so the inner loop is a SIMD multiply-add over
/// contiguous memory; the z pass keeps only the few original slices it still needs.
/// </summary>
internal static class GaussianBlur
{
    /// <summary>Blurs with standard deviations given in voxels per axis (below 0.2 an axis is left alone).</summary>
    public static void Blur(float[] data, Int3 size, Vec3 sigmaVoxels)
    {
        ArgumentNullException.ThrowIfNull(data);
        var kx = Kernel(sigmaVoxels.X);
        var ky = Kernel(sigmaVoxels.Y);
        var kz = Kernel(sigmaVoxels.Z);
        if (kx.Length > 1)
        {
            BlurRows(data, size, kx);
        }

        if (ky.Length > 1)
        {
            BlurColumns(data, size, ky);
        }

        if (kz.Length > 1 && size.Z > 1)
        {
            BlurSlices(data, size, kz);
        }
    }

    /// <summary>Normalised kernel of radius ceil(3 sigma); a single 1 when sigma is negligible.</summary>
    public static float[] Kernel(double sigma)
    {
        if (sigma < 0.2)
        {
            return [1f];
        }

        int radius = (int)Math.Ceiling(3 * sigma);
        var k = new float[2 * radius + 1];
        double sum = 0;
        for (int t = -radius; t <= radius; t++)
        {
            double w = Math.Exp(-0.5 * t * t / (sigma * sigma));
            k[t + radius] = (float)w;
            sum += w;
        }

        for (int t = 0; t < k.Length; t++)
        {
            k[t] = (float)(k[t] / sum);
        }

        return k;
    }

    private static void BlurRows(float[] data, Int3 size, float[] kernel)
    {
        int nx = size.X, radius = kernel.Length / 2;
        var padded = new float[nx + 2 * radius];
        int rows = size.Y * size.Z;
        for (int row = 0; row < rows; row++)
        {
            var line = data.AsSpan(row * nx, nx);
            line.CopyTo(padded.AsSpan(radius));
            padded.AsSpan(0, radius).Fill(line[0]);
            padded.AsSpan(radius + nx, radius).Fill(line[nx - 1]);
            line.Clear();
            for (int t = 0; t < kernel.Length; t++)
            {
                AddScaled(line, padded.AsSpan(t, nx), kernel[t]);
            }
        }
    }

    private static void BlurColumns(float[] data, Int3 size, float[] kernel)
    {
        int nx = size.X, ny = size.Y, radius = kernel.Length / 2;
        var slice = new float[nx * ny];
        for (int k = 0; k < size.Z; k++)
        {
            var plane = data.AsSpan(k * nx * ny, nx * ny);
            plane.CopyTo(slice);
            plane.Clear();
            for (int j = 0; j < ny; j++)
            {
                var output = plane.Slice(j * nx, nx);
                for (int t = 0; t < kernel.Length; t++)
                {
                    int source = Math.Clamp(j + t - radius, 0, ny - 1);
                    AddScaled(output, slice.AsSpan(source * nx, nx), kernel[t]);
                }
            }
        }
    }

    private static void BlurSlices(float[] data, Int3 size, float[] kernel)
    {
        int plane = size.X * size.Y, nz = size.Z, radius = kernel.Length / 2;
        // Originals of slices k - radius .. k (already overwritten in data once k has passed them).
        var ring = new float[radius + 1][];
        for (int n = 0; n < ring.Length; n++)
        {
            ring[n] = new float[plane];
        }

        for (int k = 0; k < nz; k++)
        {
            var current = data.AsSpan(k * plane, plane);
            current.CopyTo(ring[k % ring.Length]);
            current.Clear();
            for (int t = 0; t < kernel.Length; t++)
            {
                int m = Math.Clamp(k + t - radius, 0, nz - 1);
                ReadOnlySpan<float> source = m <= k ? ring[m % ring.Length] : data.AsSpan(m * plane, plane);
                AddScaled(current, source, kernel[t]);
            }
        }
    }

    /// <summary>target += weight * source, vectorised.</summary>
    public static void AddScaled(Span<float> target, ReadOnlySpan<float> source, float weight)
    {
        int n = 0;
        if (Vector.IsHardwareAccelerated && target.Length >= Vector<float>.Count)
        {
            var w = new Vector<float>(weight);
            int last = target.Length - Vector<float>.Count;
            for (; n <= last; n += Vector<float>.Count)
            {
                var acc = new Vector<float>(target.Slice(n)) + w * new Vector<float>(source.Slice(n));
                acc.CopyTo(target.Slice(n));
            }
        }

        for (; n < target.Length; n++)
        {
            target[n] += weight * source[n];
        }
    }
}
