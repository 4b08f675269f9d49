namespace Crlm.Core.Radiomics;

/// <summary>
/// A closed, outward-oriented triangle mesh of a ROI surface in millimetres (grid frame: voxel (i, j, k) centre at
/// (i sx, j sy, k sz)). Built by <see cref="MarchingCubesMesh"/>.
/// </summary>
/// <param name="Positions">x, y, z per vertex, interleaved, in mm.</param>
/// <param name="Triangles">Three vertex indices per triangle, counter-clockwise seen from outside the ROI.</param>
/// <param name="HalfVoxels">
/// 2 x (i, j, k) of each vertex, interleaved: every vertex is the midpoint of an edge between voxel centres, so these
/// are integers, for exact geometric predicates (convex hull, triangulation choice).
/// </param>
public sealed record TriangleMesh(double[] Positions, int[] Triangles, int[] HalfVoxels)
{
    public int VertexCount => Positions.Length / 3;

    public int TriangleCount => Triangles.Length / 3;

    /// <summary>Enclosed volume in mm³ by the divergence theorem: the sum of signed tetrahedra (origin, triangle) / 6.</summary>
    public double Volume()
    {
        double sixTimes = 0;
        var p = Positions;
        var t = Triangles;
        for (int n = 0; n < t.Length; n += 3)
        {
            int a = 3 * t[n], b = 3 * t[n + 1], c = 3 * t[n + 2];
            // a . (b x c)
            sixTimes += p[a] * (p[b + 1] * p[c + 2] - p[b + 2] * p[c + 1])
                      + p[a + 1] * (p[b + 2] * p[c] - p[b] * p[c + 2])
                      + p[a + 2] * (p[b] * p[c + 1] - p[b + 1] * p[c]);
        }

        return sixTimes / 6;
    }

    /// <summary>Surface area in mm²: the sum of triangle areas.</summary>
    public double SurfaceArea()
    {
        double twice = 0;
        var p = Positions;
        var t = Triangles;
        for (int n = 0; n < t.Length; n += 3)
        {
            int a = 3 * t[n], b = 3 * t[n + 1], c = 3 * t[n + 2];
            double ux = p[b] - p[a], uy = p[b + 1] - p[a + 1], uz = p[b + 2] - p[a + 2];
            double vx = p[c] - p[a], vy = p[c + 1] - p[a + 1], vz = p[c + 2] - p[a + 2];
            double cx = uy * vz - uz * vy, cy = uz * vx - ux * vz, cz = ux * vy - uy * vx;
            twice += Math.Sqrt(cx * cx + cy * cy + cz * cz);
        }

        return twice / 2;
    }
}
