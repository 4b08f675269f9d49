using Crlm.Core.Imaging;

namespace Crlm.Core.Preprocessing;

/// <summary>
/// One axis of a resampling: output index o samples input coordinate c = o · <see cref="Step"/> (clamped to
/// the input, as scipy's mode='nearest'). All coordinate arithmetic is in double, exactly as scipy and the
/// peer's torch path do it, so the nearest-neighbour choice ⌊c + 0.5⌋ agrees even on exact half-voxel ties.
/// </summary>
public sealed record ResampleAxis(int InputLength, int OutputLength, double Step)
{
    /// <summary>Input coordinate of output voxel <paramref name="o"/>, clamped to [0, n_in − 1].</summary>
    public double Coordinate(int o) => Math.Clamp(o * Step, 0, InputLength - 1);

    /// <summary>Nearest input voxel: ⌊c + 0.5⌋ in double, i.e. ties round up (scipy's order-0 rule).</summary>
    public int Nearest(int o) => (int)Math.Floor(Coordinate(o) + 0.5);

    /// <summary>Linear interpolation: the two input voxels around c and the weight of the upper one.</summary>
    public (int Lower, int Upper, double Weight) Linear(int o)
    {
        double c = Coordinate(o);
        int lower = Math.Min((int)Math.Floor(c), InputLength - 1);
        int upper = Math.Min(lower + 1, InputLength - 1);
        return (lower, upper, c - lower);
    }

    /// <summary>The input voxels that output voxels [<paramref name="from"/>, <paramref name="to"/>) read, nearest or linear.</summary>
    public (int Lo, int Hi) InputSpan(int from, int to)
    {
        var (first, _, _) = Linear(from);
        var (_, last, _) = Linear(to - 1);
        return (Math.Min(first, Nearest(from)), Math.Max(last, Nearest(to - 1)));
    }
}

/// <summary>
/// The resampling of a canonical array to a target spacing, per axis (the peer's README, section 3):
/// <list type="bullet">
/// <item>zoom: n_out = round-half-even(n·sp_in/sp_out) (Python's round, as scipy.ndimage.zoom), step (n_in−1)/(n_out−1);</item>
/// <item>exact: n_out = ⌊(n−1)·sp_in/sp_out + 1e-6⌋ + 1, step sp_out/sp_in.</item>
/// </list>
/// </summary>
public sealed record ResamplePlan(ResampleAxis X, ResampleAxis Y, ResampleAxis Z)
{
    public ResampleAxis this[int axis] => axis switch
    {
        0 => X,
        1 => Y,
        2 => Z,
        _ => throw new ArgumentOutOfRangeException(nameof(axis), axis, "axis must be 0, 1 or 2"),
    };

    public Int3 OutputShape => new(X.OutputLength, Y.OutputLength, Z.OutputLength);

    public Vec3 Step => new(X.Step, Y.Step, Z.Step);

    public static ResamplePlan Create(Int3 inputShape, Vec3 inputSpacing, Vec3 targetSpacing, GridMode mode)
    {
        var axes = new ResampleAxis[3];
        for (int a = 0; a < 3; a++)
        {
            int n = inputShape.At(a);
            double sin = inputSpacing[a], sout = targetSpacing[a];
            int nOut;
            double step;
            if (mode == GridMode.Zoom)
            {
                // Same operation order as the peer: (n * sp_in) / sp_out, then Python's round (half to even).
                nOut = Math.Max(1, (int)Math.Round(n * sin / sout, MidpointRounding.ToEven));
                step = nOut > 1 ? (n - 1) / (double)(nOut - 1) : 0.0;
            }
            else
            {
                nOut = (int)Math.Floor((n - 1) * sin / sout + 1e-6) + 1;
                step = sout / sin;
            }

            axes[a] = new ResampleAxis(n, nOut, step);
        }

        return new ResamplePlan(axes[0], axes[1], axes[2]);
    }
}
