using Crlm.Core.Imaging;
using Crlm.Core.Preprocessing;

namespace Crlm.Core.Tests.Preprocessing;

public sealed class ResamplingTests
{
    [Theory]
    [InlineData(5, 1.0, 2.0, 2)] // 2.5 rounds half to even
    [InlineData(7, 1.0, 2.0, 4)] // 3.5 rounds half to even
    [InlineData(9, 1.0, 2.0, 4)] // 4.5
    [InlineData(512, 0.7, 1.0, 358)]
    [InlineData(1, 0.5, 2.5, 1)] // never below one voxel
    public void Zoom_shape_is_python_round_of_n_times_spacing_ratio(int n, double spacingIn, double spacingOut, int expected)
    {
        var plan = ResamplePlan.Create(new Int3(n, n, n), new Vec3(spacingIn, spacingIn, spacingIn), new Vec3(spacingOut, spacingOut, spacingOut), GridMode.Zoom);
        Assert.Equal(expected, plan.X.OutputLength);
        Assert.Equal(expected > 1 ? (n - 1) / (double)(expected - 1) : 0, plan.X.Step);
    }

    [Theory]
    [InlineData(4, 0.3, 0.1, 10)] // 3 * 0.3 / 0.1 = 8.999999999999998: the 1e-6 guard makes it 9
    [InlineData(10, 0.7, 2.1, 4)]
    [InlineData(11, 0.1, 0.3, 4)]
    [InlineData(24, 2.0, 1.0, 47)]
    public void Exact_shape_counts_target_steps_between_first_and_last_voxel(int n, double spacingIn, double spacingOut, int expected)
    {
        var plan = ResamplePlan.Create(new Int3(n, n, n), new Vec3(spacingIn, spacingIn, spacingIn), new Vec3(spacingOut, spacingOut, spacingOut), GridMode.Exact);
        Assert.Equal(expected, plan.X.OutputLength);
        Assert.Equal(spacingOut / spacingIn, plan.X.Step);
    }

    [Fact]
    public void Nearest_rounds_half_up_and_clamps_linear_brackets_the_coordinate()
    {
        var axis = new ResampleAxis(4, 7, 0.5);
        Assert.Equal([0, 1, 1, 2, 2, 3, 3], Enumerable.Range(0, 7).Select(axis.Nearest));
        Assert.Equal((1, 2, 0.5), axis.Linear(3));
        Assert.Equal((3, 3, 0.0), axis.Linear(6)); // the last voxel: no neighbour past the end

        var beyond = new ResampleAxis(4, 3, 2.0); // would read c = 4 past the end: clamped as scipy's mode='nearest'
        Assert.Equal(3, beyond.Nearest(2));
        Assert.Equal((3, 3, 0.0), beyond.Linear(2));
    }

    [Theory]
    [InlineData(GridMode.Zoom)]
    [InlineData(GridMode.Exact)]
    public void Linear_resampling_reproduces_a_linear_ramp_on_any_part_of_the_grid(GridMode mode)
    {
        // Trilinear interpolation is exact for a function linear in each axis, so every output voxel must equal
        // the ramp at its input coordinate; only a sub-box is resampled, from only the input it reads.
        var size = new Int3(23, 17, 9);
        var plan = ResamplePlan.Create(size, new Vec3(0.8, 1.3, 4.0), new Vec3(1.0, 1.0, 2.5), mode);
        static double Ramp(double x, double y, double z) => 3 * x - 2 * y + 5 * z + 0.25 * x * y - 40;

        var target = new IndexBox(new Int3(2, 3, 1), new Int3(plan.X.OutputLength - 4, plan.Y.OutputLength - 5, plan.Z.OutputLength - 2));
        var region = ScanPreprocessor.InputRegion(plan, target);
        var input = new float[region.VoxelCount];
        for (int k = 0; k < region.Size.Z; k++)
        {
            for (int j = 0; j < region.Size.Y; j++)
            {
                for (int i = 0; i < region.Size.X; i++)
                {
                    input[i + region.Size.X * (j + region.Size.Y * k)] = (float)Ramp(i + region.Start.X, j + region.Start.Y, k + region.Start.Z);
                }
            }
        }

        // The output box is larger than the target and starts before it: the margin must stay untouched.
        var outputSize = new Int3(target.Size.X + 2, target.Size.Y + 1, target.Size.Z + 3);
        var outputStart = new Int3(target.Start.X - 1, target.Start.Y, target.Start.Z - 2);
        var output = new float[outputSize.Product];
        Array.Fill(output, float.NaN);
        Resampler.Linear(input, region, plan, target, output, outputSize, outputStart);

        for (int k = 0; k < outputSize.Z; k++)
        {
            for (int j = 0; j < outputSize.Y; j++)
            {
                for (int i = 0; i < outputSize.X; i++)
                {
                    int ox = i + outputStart.X, oy = j + outputStart.Y, oz = k + outputStart.Z;
                    float v = output[i + outputSize.X * (j + outputSize.Y * k)];
                    bool inside = ox >= target.Start.X && ox < target.End.X && oy >= target.Start.Y && oy < target.End.Y && oz >= target.Start.Z && oz < target.End.Z;
                    if (!inside)
                    {
                        Assert.True(float.IsNaN(v), $"voxel ({i}, {j}, {k}) outside the target was written");
                        continue;
                    }

                    double expected = Ramp(plan.X.Coordinate(ox), plan.Y.Coordinate(oy), plan.Z.Coordinate(oz));
                    Assert.True(Math.Abs(expected - v) <= 1e-4 * Math.Max(1, Math.Abs(expected)), $"({ox}, {oy}, {oz}): expected {expected}, got {v}");
                }
            }
        }
    }

    [Fact]
    public void Nearest_resampling_gathers_the_picked_voxel_and_counts_non_zero_ones()
    {
        var size = new Int3(6, 5, 4);
        var plan = ResamplePlan.Create(size, new Vec3(2, 2, 5), new Vec3(1, 1, 2.5), GridMode.Exact);
        var whole = new IndexBox(new Int3(0, 0, 0), size);
        var input = new byte[size.Product];
        for (int n = 0; n < input.Length; n++)
        {
            input[n] = (byte)(n % 7 == 0 ? 0 : n % 250);
        }

        var shape = plan.OutputShape;
        var output = new byte[shape.Product];
        long count = Resampler.Nearest(input, whole, plan, new IndexBox(new Int3(0, 0, 0), shape), output, shape, new Int3(0, 0, 0));
        for (int k = 0; k < shape.Z; k++)
        {
            for (int j = 0; j < shape.Y; j++)
            {
                for (int i = 0; i < shape.X; i++)
                {
                    int source = plan.X.Nearest(i) + size.X * (plan.Y.Nearest(j) + size.Y * plan.Z.Nearest(k));
                    Assert.Equal(input[source], output[i + shape.X * (j + shape.Y * k)]);
                }
            }
        }

        Assert.Equal(output.Count(v => v != 0), count);
    }

    [Fact]
    public void Resampled_mask_bounds_equal_the_brute_force_box_of_the_resampled_mask()
    {
        var random = new Random(12345);
        for (int trial = 0; trial < 60; trial++)
        {
            var size = new Int3(random.Next(1, 14), random.Next(1, 12), random.Next(1, 9));
            var mask = new byte[size.Product];
            int blobs = random.Next(0, 4);
            for (int b = 0; b < blobs; b++)
            {
                mask[random.Next(mask.Length)] = 1;
            }

            var spacing = new Vec3(0.5 + random.NextDouble() * 3, 0.5 + random.NextDouble() * 3, 0.5 + random.NextDouble() * 5);
            var mode = trial % 2 == 0 ? GridMode.Zoom : GridMode.Exact;
            var plan = ResamplePlan.Create(size, spacing, new Vec3(1, 1.5, 2.5), mode);
            var bounds = MaskBounds.Resampled(mask, size, plan);

            var shape = plan.OutputShape;
            int[] lo = [int.MaxValue, int.MaxValue, int.MaxValue], hi = [-1, -1, -1];
            for (int k = 0; k < shape.Z; k++)
            {
                for (int j = 0; j < shape.Y; j++)
                {
                    for (int i = 0; i < shape.X; i++)
                    {
                        if (mask[plan.X.Nearest(i) + size.X * (plan.Y.Nearest(j) + size.Y * plan.Z.Nearest(k))] != 0)
                        {
                            (lo[0], lo[1], lo[2]) = (Math.Min(lo[0], i), Math.Min(lo[1], j), Math.Min(lo[2], k));
                            (hi[0], hi[1], hi[2]) = (Math.Max(hi[0], i), Math.Max(hi[1], j), Math.Max(hi[2], k));
                        }
                    }
                }
            }

            if (hi[0] < 0)
            {
                Assert.Null(bounds);
            }
            else
            {
                Assert.Equal(new VoxelBounds(new Int3(lo[0], lo[1], lo[2]), new Int3(hi[0], hi[1], hi[2])), bounds);
            }
        }
    }

    [Fact]
    public void Bounds_centre_is_the_floor_of_the_integer_midpoint()
    {
        // Python's (lo + hi) // 2 floors: (-2 + -1) // 2 == -2, where C#'s (-3) / 2 would truncate to -1.
        Assert.Equal(new Int3(2, 3, -2), new VoxelBounds(new Int3(1, 3, -2), new Int3(4, 4, -1)).Centre);
        Assert.Equal(new Int3(4, 2, 2), new VoxelBounds(new Int3(1, 3, -2), new Int3(4, 4, -1)).Extent);
    }

    [Fact]
    public void Window_clips_and_z_score_uses_population_sigma_over_the_mask()
    {
        float[] values = [-100, 0, 50, 300, 20];
        Intensity.Clip(values, -37, 171);
        Assert.Equal([-37f, 0, 50, 171, 20], values);

        var z = Intensity.ZScore(values, [0, 1, 1, 0, 1]);
        Assert.Equal("liver", z.Over);
        Assert.Equal(70 / 3.0, z.Mean, 12);
        Assert.Equal(Math.Sqrt(((0 - 70 / 3.0) * (0 - 70 / 3.0) + (50 - 70 / 3.0) * (50 - 70 / 3.0) + (20 - 70 / 3.0) * (20 - 70 / 3.0)) / 3), z.Std, 12);

        var flat = Intensity.ZScore([5f, 5f], [0, 0]);
        Assert.Equal(new ZScoreStats(5, 1, "all"), flat);
    }
}
