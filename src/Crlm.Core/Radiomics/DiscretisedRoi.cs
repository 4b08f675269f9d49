using Crlm.Core.Imaging;

namespace Crlm.Core.Radiomics;

/// <summary>
/// A region of interest after IBSI discretisation, as every texture family reads it: grey level 1..LevelCount
/// for voxels inside the ROI, 0 outside. Memory order is <see cref="Volume{T}"/>'s (i fastest, then j, then k).
/// </summary>
/// <remarks>
/// Grey levels are values, not indices into the levels present: a level that no ROI voxel has still counts in
/// <see cref="LevelCount"/> (IBSI's N_g), which changes features such as normalised inverse difference.
/// </remarks>
/// <param name="Size">Grid size (x, y, z) in voxels.</param>
/// <param name="Spacing">Voxel spacing in mm (x, y, z).</param>
/// <param name="Levels">One grey level per voxel, 0 outside the ROI.</param>
/// <param name="LevelCount">N_g: the number of grey levels of the discretisation (the largest possible level).</param>
public sealed record DiscretisedRoi(Int3 Size, Vec3 Spacing, int[] Levels, int LevelCount)
{
    public int LinearIndex(int i, int j, int k) => i + Size.X * (j + Size.Y * k);

    /// <summary>Grey level at (i, j, k), or 0 when outside the grid or the ROI.</summary>
    public int LevelAt(int i, int j, int k) =>
        (uint)i < (uint)Size.X && (uint)j < (uint)Size.Y && (uint)k < (uint)Size.Z ? Levels[LinearIndex(i, j, k)] : 0;

    /// <summary>Number of voxels inside the ROI.</summary>
    public int VoxelCount => Levels.Count(l => l > 0);

    /// <summary>Throws when the buffer does not fit the grid or a level is outside 0..LevelCount.</summary>
    public void Validate()
    {
        if (Levels.LongLength != Size.Product)
        {
            throw new ArgumentException($"ROI buffer holds {Levels.LongLength} voxels but the grid {Size} needs {Size.Product}");
        }

        if (LevelCount < 1)
        {
            throw new ArgumentException($"ROI needs at least one grey level, got {LevelCount}");
        }

        foreach (int level in Levels)
        {
            if (level < 0 || level > LevelCount)
            {
                throw new ArgumentException($"ROI grey level {level} is outside 0..{LevelCount}");
            }
        }
    }
}
