namespace Crlm.Core.Radiomics;

/// <summary>
/// 3D convex hull of mesh vertices on the half-voxel lattice, by incremental insertion with exact integer
/// orientation tests (coordinates are 2 x voxel index, so determinants are exact in 64-bit integers and coplanar
/// lattice points, which are the rule here, cannot flip a decision). The hull's faces are triangles; coplanar
/// triangles may share a plane, which does not change the area or the volume.
/// </summary>
internal static class ConvexHull
{
    /// <summary>
    /// The indices of the points that can be hull vertices: a hull vertex is the first or last point of every
    /// axis-parallel line of lattice points through it (otherwise it lies between two others), so points that are
    /// not extreme along x, y and z alike are dropped. Linear time; keeps the hull and diameter work small.
    /// </summary>
    public static int[] Candidates(int[] halfVoxels, int count)
    {
        var extremeAll = new int[count];
        for (int axis = 0; axis < 3; axis++)
        {
            int u = (axis + 1) % 3, v = (axis + 2) % 3;
            var lowest = new Dictionary<long, int>();
            var highest = new Dictionary<long, int>();
            for (int n = 0; n < count; n++)
            {
                long line = ((long)halfVoxels[3 * n + u] << 32) | (uint)halfVoxels[3 * n + v];
                int along = halfVoxels[3 * n + axis];
                if (!lowest.TryGetValue(line, out int lo) || along < halfVoxels[3 * lo + axis])
                {
                    lowest[line] = n;
                }

                if (!highest.TryGetValue(line, out int hi) || along > halfVoxels[3 * hi + axis])
                {
                    highest[line] = n;
                }
            }

            foreach (int n in lowest.Values)
            {
                extremeAll[n] |= 1 << axis;
            }

            foreach (int n in highest.Values)
            {
                extremeAll[n] |= 1 << axis;
            }
        }

        var kept = new List<int>();
        for (int n = 0; n < count; n++)
        {
            if (extremeAll[n] == 7)
            {
                kept.Add(n);
            }
        }

        return kept.ToArray();
    }

    /// <summary>Triangles (index triples into <paramref name="points"/>) oriented outwards, or null when all points are coplanar.</summary>
    /// <param name="points">x, y, z per point, interleaved, integer lattice coordinates.</param>
    public static List<(int A, int B, int C)>? Build(long[] points)
    {
        int count = points.Length / 3;
        if (count < 4)
        {
            return null;
        }

        // A non-degenerate starting tetrahedron.
        int p0 = 0, p1 = -1, p2 = -1, p3 = -1;
        for (int n = 1; n < count && p1 < 0; n++)
        {
            if (points[3 * n] != points[0] || points[3 * n + 1] != points[1] || points[3 * n + 2] != points[2])
            {
                p1 = n;
            }
        }

        for (int n = 1; n < count && p1 >= 0 && p2 < 0; n++)
        {
            if (!Collinear(points, p0, p1, n))
            {
                p2 = n;
            }
        }

        for (int n = 1; n < count && p2 >= 0 && p3 < 0; n++)
        {
            if (Orient(points, p0, p1, p2, n) != 0)
            {
                p3 = n;
            }
        }

        if (p3 < 0)
        {
            return null;
        }

        var faces = new List<(int A, int B, int C)>();
        AddOutward(faces, points, p0, p1, p2, p3);
        AddOutward(faces, points, p0, p1, p3, p2);
        AddOutward(faces, points, p0, p2, p3, p1);
        AddOutward(faces, points, p1, p2, p3, p0);

        var visibleEdges = new HashSet<long>();
        var horizon = new List<(int, int)>();
        for (int p = 0; p < count; p++)
        {
            if (p == p0 || p == p1 || p == p2 || p == p3)
            {
                continue;
            }

            visibleEdges.Clear();
            bool anyVisible = false;
            foreach (var (a, b, c) in faces)
            {
                if (Orient(points, a, b, c, p) > 0)
                {
                    anyVisible = true;
                    visibleEdges.Add(((long)a << 32) | (uint)b);
                    visibleEdges.Add(((long)b << 32) | (uint)c);
                    visibleEdges.Add(((long)c << 32) | (uint)a);
                }
            }

            if (!anyVisible)
            {
                continue;
            }

            horizon.Clear();
            foreach (long edge in visibleEdges)
            {
                int a = (int)(edge >> 32), b = (int)(edge & 0xFFFFFFFF);
                if (!visibleEdges.Contains(((long)b << 32) | (uint)a))
                {
                    horizon.Add((a, b));
                }
            }

            faces.RemoveAll(f => Orient(points, f.A, f.B, f.C, p) > 0);
            foreach (var (a, b) in horizon)
            {
                faces.Add((a, b, p));
            }
        }

        return faces;
    }

    /// <summary>(b - a) x (c - a) . (d - a): positive when d lies on the side the face (a, b, c) normal points to.</summary>
    private static long Orient(long[] q, int a, int b, int c, int d)
    {
        long ax = q[3 * a], ay = q[3 * a + 1], az = q[3 * a + 2];
        long ux = q[3 * b] - ax, uy = q[3 * b + 1] - ay, uz = q[3 * b + 2] - az;
        long vx = q[3 * c] - ax, vy = q[3 * c + 1] - ay, vz = q[3 * c + 2] - az;
        long wx = q[3 * d] - ax, wy = q[3 * d + 1] - ay, wz = q[3 * d + 2] - az;
        return wx * (uy * vz - uz * vy) + wy * (uz * vx - ux * vz) + wz * (ux * vy - uy * vx);
    }

    private static bool Collinear(long[] q, int a, int b, int c)
    {
        long ux = q[3 * b] - q[3 * a], uy = q[3 * b + 1] - q[3 * a + 1], uz = q[3 * b + 2] - q[3 * a + 2];
        long vx = q[3 * c] - q[3 * a], vy = q[3 * c + 1] - q[3 * a + 1], vz = q[3 * c + 2] - q[3 * a + 2];
        return uy * vz - uz * vy == 0 && uz * vx - ux * vz == 0 && ux * vy - uy * vx == 0;
    }

    private static void AddOutward(List<(int, int, int)> faces, long[] q, int a, int b, int c, int opposite)
    {
        faces.Add(Orient(q, a, b, c, opposite) < 0 ? (a, b, c) : (a, c, b));
    }
}
