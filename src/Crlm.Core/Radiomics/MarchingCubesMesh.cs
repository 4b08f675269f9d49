using Crlm.Core.Imaging;

namespace Crlm.Core.Radiomics;

/// <summary>
/// Marching cubes on a binary ROI mask at iso-level 0.5: the IBSI mesh for volume, surface area and diameters.
/// </summary>
/// <remarks>
/// <para>Cells are the cubes between 8 neighbouring voxel centres; the mask is treated as padded by one empty voxel
/// on every side, so the surface is always closed. Values are 0/1, so every vertex sits on the midpoint of a cell
/// edge whose two ends differ, and is shared by all cells around that edge (one vertex per grid edge).</para>
/// <para>No 256-case table: per cell, each of the 6 faces contributes iso-contour segments, found by walking the
/// face's 4 corners counter-clockwise seen from outside the cell. A crossing from outside to inside ("entering")
/// is joined to the next crossing from inside to outside ("leaving") along that walk. This fixes the face
/// ambiguity (two diagonal inside corners) by always separating the inside corners, a rule that depends only on
/// the face's corners, so the two cells sharing a face agree and the mesh has no holes. Each segment, directed
/// entering to leaving, keeps the inside on its right seen from outside the cell, so chaining segments through the
/// cell's edges gives closed loops whose order makes the surface normal point out of the ROI. Loops of 3 vertices
/// become one triangle; longer loops (planar quads, non-planar 5-, 6- and 7-gons) are fanned from the vertex whose
/// fan encloses the most volume. That choice reproduces the IBSI phantom's reference mesh (556.3 mm³, 388.1 mm²);
/// a fan around the loop centroid gave 553.1 mm³ and 386.3 mm², a fan from an arbitrary vertex 553.0 mm³.</para>
/// </remarks>
public static class MarchingCubesMesh
{
    // Cell corner c sits at offset (c & 1, (c >> 1) & 1, (c >> 2) & 1). Each face lists its corners
    // counter-clockwise around the outward face normal (checked: (p1 - p0) x (p2 - p1) points outwards).
    private static readonly int[][] Faces =
    [
        [0, 4, 6, 2], // x = 0
        [1, 3, 7, 5], // x = 1
        [0, 1, 5, 4], // y = 0
        [2, 6, 7, 3], // y = 1
        [0, 2, 3, 1], // z = 0
        [4, 5, 7, 6], // z = 1
    ];

    /// <summary>The mesh of the non-zero voxels of <paramref name="mask"/>, in mm using the mask's spacing.</summary>
    /// <exception cref="ArgumentException">The mask has no non-zero voxel.</exception>
    public static TriangleMesh Build(Volume<byte> mask)
    {
        ArgumentNullException.ThrowIfNull(mask);
        var size = mask.Size;
        var (lo, hi) = BoundingBox(mask);
        var spacing = mask.Geometry.Spacing;
        var m = mask.Voxels;

        // Vertex per grid edge: key = padded linear index of the edge's lower end * 3 + axis.
        long px = size.X + 2, py = size.Y + 2;
        var vertexOfEdge = new Dictionary<long, int>();
        var halfVoxels = new List<int>();
        var positions = new List<double>();
        var triangles = new List<int>();

        Span<bool> inside = stackalloc bool[8];
        Span<int> successor = stackalloc int[24]; // local edge (lower corner * 3 + axis) -> next local edge in its loop
        Span<int> crossings = stackalloc int[4];
        Span<bool> entering = stackalloc bool[4];
        Span<int> loop = stackalloc int[12];

        for (int k = lo.Z - 1; k <= hi.Z; k++)
        {
            for (int j = lo.Y - 1; j <= hi.Y; j++)
            {
                for (int i = lo.X - 1; i <= hi.X; i++)
                {
                    int insideCount = 0;
                    for (int c = 0; c < 8; c++)
                    {
                        int ci = i + (c & 1), cj = j + ((c >> 1) & 1), ck = k + ((c >> 2) & 1);
                        bool value = (uint)ci < (uint)size.X && (uint)cj < (uint)size.Y && (uint)ck < (uint)size.Z
                            && m[ci + size.X * (cj + size.Y * ck)] != 0;
                        inside[c] = value;
                        insideCount += value ? 1 : 0;
                    }

                    if (insideCount is 0 or 8)
                    {
                        continue;
                    }

                    successor.Fill(-1);
                    foreach (var face in Faces)
                    {
                        int crossingCount = 0;
                        for (int t = 0; t < 4; t++)
                        {
                            int a = face[t], b = face[(t + 1) & 3];
                            if (inside[a] != inside[b])
                            {
                                crossings[crossingCount] = LocalEdge(a, b);
                                entering[crossingCount] = inside[b];
                                crossingCount++;
                            }
                        }

                        // Join each entering crossing to the next leaving one along the walk: inside corners stay apart.
                        for (int s = 0; s < crossingCount; s++)
                        {
                            if (entering[s])
                            {
                                int next = (s + 1) % crossingCount;
                                while (entering[next])
                                {
                                    next = (next + 1) % crossingCount;
                                }

                                successor[crossings[s]] = crossings[next];
                            }
                        }
                    }

                    for (int start = 0; start < 24; start++)
                    {
                        if (successor[start] < 0)
                        {
                            continue;
                        }

                        int length = 0;
                        for (int edge = start; successor[edge] >= 0;)
                        {
                            loop[length++] = VertexOf(edge, i, j, k);
                            int next = successor[edge];
                            successor[edge] = -1;
                            edge = next;
                        }

                        EmitLoop(loop[..length], halfVoxels, triangles);
                    }
                }
            }
        }

        int VertexOf(int localEdge, int i, int j, int k)
        {
            int corner = localEdge / 3, axis = localEdge % 3;
            int ci = i + (corner & 1), cj = j + ((corner >> 1) & 1), ck = k + ((corner >> 2) & 1);
            long key = ((((ck + 1) * py) + (cj + 1)) * px + (ci + 1)) * 3 + axis;
            if (!vertexOfEdge.TryGetValue(key, out int index))
            {
                index = vertexOfEdge.Count;
                vertexOfEdge.Add(key, index);
                int hx = 2 * ci + (axis == 0 ? 1 : 0), hy = 2 * cj + (axis == 1 ? 1 : 0), hz = 2 * ck + (axis == 2 ? 1 : 0);
                halfVoxels.Add(hx);
                halfVoxels.Add(hy);
                halfVoxels.Add(hz);
                positions.Add(0.5 * hx * spacing.X);
                positions.Add(0.5 * hy * spacing.Y);
                positions.Add(0.5 * hz * spacing.Z);
            }

            return index;
        }

        return new TriangleMesh(positions.ToArray(), triangles.ToArray(), halfVoxels.ToArray());
    }

    /// <summary>Local id of the cell edge between corners a and b (which differ in one bit): lower corner * 3 + axis.</summary>
    private static int LocalEdge(int a, int b)
    {
        int lower = Math.Min(a, b);
        int axis = System.Numerics.BitOperations.TrailingZeroCount(a ^ b);
        return lower * 3 + axis;
    }

    /// <summary>
    /// Triangulates one loop as a fan from the loop vertex whose fan encloses the most volume, i.e. the surface
    /// bulges out of the ROI rather than into it. Planar loops (triangles, quads) give every apex the same volume and
    /// keep the first. Decided in exact integer half-voxel coordinates: the choice does not depend on the spacing
    /// (a positive diagonal scaling multiplies every volume by the same factor) nor on round-off.
    /// </summary>
    private static void EmitLoop(ReadOnlySpan<int> loop, List<int> halfVoxels, List<int> triangles)
    {
        int apex = 0;
        long best = long.MinValue;
        for (int candidate = 0; candidate < loop.Length && loop.Length > 3; candidate++)
        {
            long volume = SixFanVolume(loop, candidate, halfVoxels);
            if (volume > best)
            {
                best = volume;
                apex = candidate;
            }
        }

        for (int t = 1; t + 1 < loop.Length; t++)
        {
            triangles.Add(loop[apex]);
            triangles.Add(loop[(apex + t) % loop.Length]);
            triangles.Add(loop[(apex + t + 1) % loop.Length]);
        }
    }

    /// <summary>6 x the signed volume of a fan's triangles against the loop's first vertex (fans differ by closed surfaces only).</summary>
    private static long SixFanVolume(ReadOnlySpan<int> loop, int apex, List<int> q)
    {
        int o = 3 * loop[0];
        long sum = 0;
        for (int t = 1; t + 1 < loop.Length; t++)
        {
            int a = 3 * loop[apex], b = 3 * loop[(apex + t) % loop.Length], c = 3 * loop[(apex + t + 1) % loop.Length];
            long ax = q[a] - q[o], ay = q[a + 1] - q[o + 1], az = q[a + 2] - q[o + 2];
            long bx = q[b] - q[o], by = q[b + 1] - q[o + 1], bz = q[b + 2] - q[o + 2];
            long cx = q[c] - q[o], cy = q[c + 1] - q[o + 1], cz = q[c + 2] - q[o + 2];
            sum += ax * (by * cz - bz * cy) + ay * (bz * cx - bx * cz) + az * (bx * cy - by * cx);
        }

        return sum;
    }

    internal static (Int3 Lo, Int3 Hi) BoundingBox(Volume<byte> mask)
    {
        var size = mask.Size;
        var m = mask.Voxels;
        int loX = int.MaxValue, loY = int.MaxValue, loZ = int.MaxValue, hiX = -1, hiY = -1, hiZ = -1;
        int n = 0;
        for (int k = 0; k < size.Z; k++)
        {
            for (int j = 0; j < size.Y; j++)
            {
                for (int i = 0; i < size.X; i++, n++)
                {
                    if (m[n] != 0)
                    {
                        loX = Math.Min(loX, i);
                        hiX = Math.Max(hiX, i);
                        loY = Math.Min(loY, j);
                        hiY = Math.Max(hiY, j);
                        loZ = Math.Min(loZ, k);
                        hiZ = Math.Max(hiZ, k);
                    }
                }
            }
        }

        if (hiX < 0)
        {
            throw new ArgumentException("the ROI mask is empty: no non-zero voxel", nameof(mask));
        }

        return (new Int3(loX, loY, loZ), new Int3(hiX, hiY, hiZ));
    }
}
