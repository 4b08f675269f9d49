using Crlm.Core.Imaging;

namespace Crlm.Core.Radiomics;

/// <summary>
/// The voxel-based (not mesh-based) quantities of the morphology family: voxel count, principal-component
/// eigenvalues of the voxel-centre positions, centre of mass shift and mean intensity. Two passes over the grid.
/// </summary>
internal sealed record VoxelShape(int MorphologicalCount, (double Major, double Minor, double Least) CovarianceEigenvalues, double CentreOfMassShift, double MeanIntensity)
{
    public static VoxelShape Of(Volume<byte> mask, Volume<float> image, Volume<byte> intensityMask)
    {
        var size = mask.Size;
        var s = mask.Geometry.Spacing;
        var m = mask.Voxels;
        var im = intensityMask.Voxels;
        var x = image.Voxels;
        long count = 0, intensityCount = 0;
        double sx = 0, sy = 0, sz = 0, weight = 0, wx = 0, wy = 0, wz = 0;
        int n = 0;
        for (int k = 0; k < size.Z; k++)
        {
            for (int j = 0; j < size.Y; j++)
            {
                for (int i = 0; i < size.X; i++, n++)
                {
                    if (m[n] != 0)
                    {
                        count++;
                        sx += i;
                        sy += j;
                        sz += k;
                    }

                    if (im[n] != 0)
                    {
                        intensityCount++;
                        double v = x[n];
                        weight += v;
                        wx += v * i;
                        wy += v * j;
                        wz += v * k;
                    }
                }
            }
        }

        if (count == 0)
        {
            throw new ArgumentException("the ROI mask is empty: no non-zero voxel", nameof(mask));
        }

        if (intensityCount == 0)
        {
            throw new ArgumentException("the intensity mask is empty (re-segmentation removed every voxel)", nameof(intensityMask));
        }

        double mx = sx / count, my = sy / count, mz = sz / count;
        double cxx = 0, cyy = 0, czz = 0, cxy = 0, cxz = 0, cyz = 0;
        n = 0;
        for (int k = 0; k < size.Z; k++)
        {
            for (int j = 0; j < size.Y; j++)
            {
                for (int i = 0; i < size.X; i++, n++)
                {
                    if (m[n] != 0)
                    {
                        double dx = (i - mx) * s.X, dy = (j - my) * s.Y, dz = (k - mz) * s.Z;
                        cxx += dx * dx;
                        cyy += dy * dy;
                        czz += dz * dz;
                        cxy += dx * dy;
                        cxz += dx * dz;
                        cyz += dy * dz;
                    }
                }
            }
        }

        // IBSI's reference axis lengths match the sample (N - 1) covariance (docs/radiomics.md).
        double norm = count > 1 ? 1.0 / (count - 1) : 0;
        var eigen = SymmetricEigenvalues3(cxx * norm, cyy * norm, czz * norm, cxy * norm, cxz * norm, cyz * norm);

        double shiftX = (mx - wx / weight) * s.X, shiftY = (my - wy / weight) * s.Y, shiftZ = (mz - wz / weight) * s.Z;
        double shift = Math.Sqrt(shiftX * shiftX + shiftY * shiftY + shiftZ * shiftZ);
        return new VoxelShape((int)count, eigen, shift, weight / intensityCount);
    }

    /// <summary>
    /// Eigenvalues of a symmetric 3x3 matrix, largest first, by cyclic Jacobi rotations (a few sweeps reach machine
    /// precision; deterministic; no package needed for one 3x3). Tiny negative round-off is clamped to 0.
    /// </summary>
    internal static (double, double, double) SymmetricEigenvalues3(double xx, double yy, double zz, double xy, double xz, double yz)
    {
        var a = new double[3, 3] { { xx, xy, xz }, { xy, yy, yz }, { xz, yz, zz } };
        for (int sweep = 0; sweep < 50; sweep++)
        {
            double off = a[0, 1] * a[0, 1] + a[0, 2] * a[0, 2] + a[1, 2] * a[1, 2];
            double diag = a[0, 0] * a[0, 0] + a[1, 1] * a[1, 1] + a[2, 2] * a[2, 2];
            if (off <= 1e-30 * diag || off == 0)
            {
                break;
            }

            for (int p = 0; p < 2; p++)
            {
                for (int q = p + 1; q < 3; q++)
                {
                    if (a[p, q] == 0)
                    {
                        continue;
                    }

                    // Rotation that zeroes a[p, q] (Golub & Van Loan's symmetric Schur decomposition).
                    double theta = (a[q, q] - a[p, p]) / (2 * a[p, q]);
                    double t = Math.Sign(theta == 0 ? 1 : theta) / (Math.Abs(theta) + Math.Sqrt(theta * theta + 1));
                    double c = 1 / Math.Sqrt(t * t + 1), sn = t * c;
                    for (int r = 0; r < 3; r++)
                    {
                        double arp = a[r, p], arq = a[r, q];
                        a[r, p] = c * arp - sn * arq;
                        a[r, q] = sn * arp + c * arq;
                    }

                    for (int r = 0; r < 3; r++)
                    {
                        double apr = a[p, r], aqr = a[q, r];
                        a[p, r] = c * apr - sn * aqr;
                        a[q, r] = sn * apr + c * aqr;
                    }
                }
            }
        }

        Span<double> values = [Math.Max(0, a[0, 0]), Math.Max(0, a[1, 1]), Math.Max(0, a[2, 2])];
        values.Sort();
        return (values[2], values[1], values[0]);
    }
}
