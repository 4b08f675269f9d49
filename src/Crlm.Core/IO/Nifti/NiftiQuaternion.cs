using Crlm.Core.Imaging;

namespace Crlm.Core.IO.Nifti;

/// <summary>The qform quaternion maths of the NIfTI standard, written to match nibabel's.</summary>
internal static class NiftiQuaternion
{
    /// <summary>
    /// Rotation from the stored (b, c, d), as nibabel's <c>fillpositive</c> + <c>quat2mat</c>: a = sqrt(1 - b² - c² - d²),
    /// taken as 0 when the radicand is negative by less than <paramref name="negativeTolerance"/> (float rounding),
    /// refused when more negative (not a unit quaternion). The matrix divides by the squared norm, which
    /// is what makes the a = 0 case a proper rotation.
    /// </summary>
    public static Matrix3? ToRotation(double b, double c, double d, double negativeTolerance)
    {
        double w2 = 1.0 - (b * b + c * c + d * d);
        double a;
        if (w2 < 0)
        {
            if (w2 < -negativeTolerance)
            {
                return null;
            }

            a = 0;
        }
        else
        {
            a = Math.Sqrt(w2);
        }

        double n = a * a + b * b + c * c + d * d;
        if (n < 2.220446049250313e-16)
        {
            return Matrix3.Identity;
        }

        double s = 2.0 / n;
        double x = b * s, y = c * s, z = d * s;
        double wx = a * x, wy = a * y, wz = a * z;
        double xx = b * x, xy = b * y, xz = b * z;
        double yy = c * y, yz = c * z, zz = d * z;
        return new Matrix3(
            1.0 - (yy + zz), xy - wz, xz + wy,
            xy + wz, 1.0 - (xx + zz), yz - wx,
            xz - wy, yz + wx, 1.0 - (xx + yy));
    }

    /// <summary>
    /// The standard's <c>nifti_mat44_to_quatern</c> for an orthonormal direction: a reflection (det &lt; 0) is
    /// stored as qfac = -1 with the third column negated, then (b, c, d) of the rotation with a ≥ 0.
    /// </summary>
    public static (double B, double C, double D, double Qfac) FromDirection(Matrix3 direction)
    {
        double qfac = direction.Determinant < 0 ? -1.0 : 1.0;
        double r11 = direction.M00, r12 = direction.M01, r13 = direction.M02 * qfac;
        double r21 = direction.M10, r22 = direction.M11, r23 = direction.M12 * qfac;
        double r31 = direction.M20, r32 = direction.M21, r33 = direction.M22 * qfac;

        double a = r11 + r22 + r33 + 1.0;
        double b, c, d;
        if (a > 0.5)
        {
            a = 0.5 * Math.Sqrt(a);
            b = 0.25 * (r32 - r23) / a;
            c = 0.25 * (r13 - r31) / a;
            d = 0.25 * (r21 - r12) / a;
        }
        else
        {
            // Near-180-degree rotations: divide by the largest of b, c, d to stay stable.
            double xd = 1.0 + r11 - (r22 + r33);
            double yd = 1.0 + r22 - (r11 + r33);
            double zd = 1.0 + r33 - (r11 + r22);
            if (xd > 1.0)
            {
                b = 0.5 * Math.Sqrt(xd);
                c = 0.25 * (r12 + r21) / b;
                d = 0.25 * (r13 + r31) / b;
                a = 0.25 * (r32 - r23) / b;
            }
            else if (yd > 1.0)
            {
                c = 0.5 * Math.Sqrt(yd);
                b = 0.25 * (r12 + r21) / c;
                d = 0.25 * (r23 + r32) / c;
                a = 0.25 * (r13 - r31) / c;
            }
            else
            {
                d = 0.5 * Math.Sqrt(zd);
                b = 0.25 * (r13 + r31) / d;
                c = 0.25 * (r23 + r32) / d;
                a = 0.25 * (r21 - r12) / d;
            }

            if (a < 0)
            {
                b = -b;
                c = -c;
                d = -d;
            }
        }

        return (b, c, d, qfac);
    }
}
