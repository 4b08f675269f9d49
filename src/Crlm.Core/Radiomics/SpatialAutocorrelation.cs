using Crlm.Core.Imaging;

namespace Crlm.Core.Radiomics;

/// <summary>
/// Moran's I and Geary's C of the intensity-mask voxels with weights 1 / (distance between voxel centres in mm)
/// (IBSI 3.1.24-25). Sums over all pairs: O(N²) time, O(N) memory. Above <c>maxVoxels</c> the ROI is thinned to a
/// regular sub-lattice (see <see cref="MorphologyOptions.SpatialAutocorrelationMaxVoxels"/>), so the cost stays at
/// most maxVoxels²/2 pairs (5·10⁷ by default, about a tenth of a second).
/// </summary>
internal static class SpatialAutocorrelation
{
    public static (double MoransI, double GearysC) Compute(Volume<float> image, Volume<byte> intensityMask, int maxVoxels)
    {
        if (maxVoxels <= 0)
        {
            return (double.NaN, double.NaN);
        }

        var size = intensityMask.Size;
        var m = intensityMask.Voxels;
        var (lo, _) = MarchingCubesMesh.BoundingBox(intensityMask);
        int stride = 1;
        while (CountOnLattice(m, size, lo, stride) > maxVoxels)
        {
            stride++;
        }

        int count = CountOnLattice(m, size, lo, stride);
        var s = intensityMask.Geometry.Spacing;
        var px = new double[count];
        var py = new double[count];
        var pz = new double[count];
        var value = new double[count];
        int next = 0;
        double sum = 0;
        for (int k = lo.Z; k < size.Z; k += stride)
        {
            for (int j = lo.Y; j < size.Y; j += stride)
            {
                for (int i = lo.X; i < size.X; i += stride)
                {
                    int n = i + size.X * (j + size.Y * k);
                    if (m[n] != 0)
                    {
                        px[next] = i * s.X;
                        py[next] = j * s.Y;
                        pz[next] = k * s.Z;
                        value[next] = image.Voxels[n];
                        sum += value[next];
                        next++;
                    }
                }
            }
        }

        double mean = sum / count;
        double squares = 0;
        for (int a = 0; a < count; a++)
        {
            value[a] -= mean;
            squares += value[a] * value[a];
        }

        // Unordered pairs: both statistics are ratios of pair sums, so counting each pair once cancels out.
        double weights = 0, moranSum = 0, gearySum = 0;
        for (int a = 0; a < count; a++)
        {
            double ax = px[a], ay = py[a], az = pz[a], av = value[a];
            for (int b = a + 1; b < count; b++)
            {
                double dx = px[b] - ax, dy = py[b] - ay, dz = pz[b] - az;
                double w = 1 / Math.Sqrt(dx * dx + dy * dy + dz * dz);
                double diff = av - value[b];
                weights += w;
                moranSum += w * av * value[b];
                gearySum += w * diff * diff;
            }
        }

        if (count < 2 || squares == 0)
        {
            return (double.NaN, double.NaN);
        }

        double moran = count / weights * moranSum / squares;
        double geary = (count - 1) / (2 * weights) * gearySum / squares;
        return (moran, geary);
    }

    private static int CountOnLattice(byte[] m, Int3 size, Int3 lo, int stride)
    {
        int count = 0;
        for (int k = lo.Z; k < size.Z; k += stride)
        {
            for (int j = lo.Y; j < size.Y; j += stride)
            {
                for (int i = lo.X; i < size.X; i += stride)
                {
                    if (m[i + size.X * (j + size.Y * k)] != 0)
                    {
                        count++;
                    }
                }
            }
        }

        return count;
    }
}
