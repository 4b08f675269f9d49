using Crlm.Core.Imaging;

namespace Crlm.Core.Synthetic;

/// <summary>
/// Smooth random field: unit-variance Gaussian values on a regular lattice (one value every
/// <c>cellMm</c>), interpolated with a C1 Hermite weight. Band-limited to about the cell size, so
/// a large cell gives shape-scale wobble (organ outlines) and a small one parenchymal texture.
/// Precomputed arrays keep evaluation to eight loads and a few multiplies.
/// </summary>
internal sealed class LatticeNoise
{
    private readonly float[] _values;
    private readonly int _nx, _ny, _nz;
    private readonly double _cell;
    private readonly Vec3 _min;

    /// <param name="min">Lowest corner the field must cover (patient mm).</param>
    /// <param name="max">Highest corner.</param>
    public LatticeNoise(SynthRandom rng, Vec3 min, Vec3 max, double cellMm)
    {
        _cell = cellMm;
        _min = min - new Vec3(cellMm, cellMm, cellMm);
        _nx = (int)Math.Ceiling((max.X - _min.X) / cellMm) + 3;
        _ny = (int)Math.Ceiling((max.Y - _min.Y) / cellMm) + 3;
        _nz = (int)Math.Ceiling((max.Z - _min.Z) / cellMm) + 3;
        _values = new float[checked(_nx * _ny * _nz)];
        for (int n = 0; n < _values.Length; n++)
        {
            // The Hermite blend of independent lattice values has a variance below one; 1.6 brings
            // the field's overall SD back to about one so that amplitudes read as HU or mm. The cheap
            // near-normal draw is enough: interpolation smooths away any difference in the tails.
            _values[n] = 1.6f * rng.NextNoise();
        }
    }

    public double Sample(Vec3 p) => Sample(p.X, p.Y, p.Z);

    /// <summary>
    /// Samples a whole row (fixed y, z; x = x0 + n dx) into <paramref name="output"/>: the y and z
    /// blend is done once per lattice column, leaving one Hermite blend per voxel.
    /// </summary>
    public void SampleRow(double x0, double dx, double y, double z, Span<float> output, float scale)
    {
        double fy = Math.Clamp((y - _min.Y) / _cell, 0, _ny - 1.001);
        double fz = Math.Clamp((z - _min.Z) / _cell, 0, _nz - 1.001);
        int iy = (int)fy, iz = (int)fz;
        float ty = (float)Fade(fy - iy), tz = (float)Fade(fz - iz);
        int b = _nx * (iy + _ny * iz), sy = _nx, sz = _nx * _ny;
        Span<float> column = _nx <= 1024 ? stackalloc float[_nx] : new float[_nx];
        for (int ix = 0; ix < _nx; ix++)
        {
            int c = b + ix;
            float c0 = _values[c] + (_values[c + sy] - _values[c]) * ty;
            float c1 = _values[c + sz] + (_values[c + sy + sz] - _values[c + sz]) * ty;
            column[ix] = scale * (c0 + (c1 - c0) * tz);
        }

        double inv = 1 / _cell;
        for (int n = 0; n < output.Length; n++)
        {
            double fx = Math.Clamp((x0 + n * dx - _min.X) * inv, 0, _nx - 1.001);
            int ix = (int)fx;
            float tx = (float)Fade(fx - ix);
            output[n] = column[ix] + (column[ix + 1] - column[ix]) * tx;
        }
    }

    public double Sample(double x, double y, double z)
    {
        double fx = Math.Clamp((x - _min.X) / _cell, 0, _nx - 1.001);
        double fy = Math.Clamp((y - _min.Y) / _cell, 0, _ny - 1.001);
        double fz = Math.Clamp((z - _min.Z) / _cell, 0, _nz - 1.001);
        int ix = (int)fx, iy = (int)fy, iz = (int)fz;
        double tx = Fade(fx - ix), ty = Fade(fy - iy), tz = Fade(fz - iz);
        int b = ix + _nx * (iy + _ny * iz);
        int sy = _nx, sz = _nx * _ny;
        double c00 = _values[b] + (_values[b + 1] - _values[b]) * tx;
        double c10 = _values[b + sy] + (_values[b + sy + 1] - _values[b + sy]) * tx;
        double c01 = _values[b + sz] + (_values[b + sz + 1] - _values[b + sz]) * tx;
        double c11 = _values[b + sy + sz] + (_values[b + sy + sz + 1] - _values[b + sy + sz]) * tx;
        double c0 = c00 + (c10 - c00) * ty;
        double c1 = c01 + (c11 - c01) * ty;
        return c0 + (c1 - c0) * tz;
    }

    private static double Fade(double t) => t * t * (3 - 2 * t);
}
