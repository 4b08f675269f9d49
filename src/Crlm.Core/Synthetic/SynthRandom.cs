namespace Crlm.Core.Synthetic;

/// <summary>
/// The generator's random source: SplitMix64 (Steele, Lea and Flood, 2014) as a mutable struct.
/// </summary>
/// <remarks>
/// Why our own and not <see cref="Random"/>: "same options = byte-identical files" must hold on
/// every runtime, and Random's sequence is not a documented contract. Why a struct: the noise
/// loops draw hundreds of millions of numbers and must not chase a reference per draw. Every
/// sub-task forks its own stream by a constant key (<see cref="Fork"/>), so adding a draw to one
/// part of the model (say, bowel) never shifts the numbers another part (say, lesions) sees, and
/// per-patient streams make the output independent of how Parallel.For schedules patients.
/// </remarks>
internal struct SynthRandom
{
    private ulong _state;

    public SynthRandom(ulong seed) => _state = seed;

    /// <summary>The stream for one patient of a cohort: a function of (seed, patient index) only.</summary>
    public static SynthRandom ForPatient(long seed, int patientIndex) => Derive(seed, 1, patientIndex);

    /// <summary>The stream for one site's cohort-level draws (its label order).</summary>
    public static SynthRandom ForSite(long seed, int siteIndex) => Derive(seed, 2, siteIndex);

    /// <summary>The stream for draws that span the whole cohort (stratified lesion volumes).</summary>
    public static SynthRandom ForCohort(long seed) => Derive(seed, 3, 0);

    private static SynthRandom Derive(long seed, ulong stream, long index) =>
        new(Mix(Mix(unchecked((ulong)seed) ^ (0x5EED_C0DE_0000_0000UL + stream)) + unchecked((ulong)index * 0x9E3779B97F4A7C15UL)));

    /// <summary>An independent stream keyed by <paramref name="key"/>; this stream is not advanced.</summary>
    public readonly SynthRandom Fork(ulong key) => new(Mix(_state ^ Mix(key * 0xD1B54A32D192ED03UL + 0x632BE59BD9B4E019UL)));

    public ulong NextUInt64()
    {
        _state = unchecked(_state + 0x9E3779B97F4A7C15UL);
        return Mix(_state);
    }

    /// <summary>Uniform in [0, 1) from the top 53 bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform in [lo, hi).</summary>
    public double Uniform(double lo, double hi) => lo + (hi - lo) * NextDouble();

    /// <summary>Uniform integer in [0, bound).</summary>
    public int NextInt(int bound)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bound);
        return (int)((NextUInt64() >> 33) * (ulong)bound >> 31);
    }

    public bool Chance(double probability) => NextDouble() < probability;

    /// <summary>Standard normal by Box-Muller (one of the pair is discarded: simpler state, still cheap here).</summary>
    public double NextGaussian()
    {
        double u1 = 1.0 - NextDouble();
        double u2 = NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    public double Gaussian(double mean, double sd) => mean + sd * NextGaussian();

    /// <summary>Normal draw clamped to [lo, hi]: anatomy must stay plausible even in the far tails.</summary>
    public double TruncatedGaussian(double mean, double sd, double lo, double hi) => Math.Clamp(Gaussian(mean, sd), lo, hi);

    /// <summary>Index drawn with probability proportional to <paramref name="weights"/>.</summary>
    public int Categorical(ReadOnlySpan<double> weights)
    {
        double total = 0;
        foreach (double w in weights)
        {
            total += w;
        }

        double u = NextDouble() * total;
        for (int n = 0; n < weights.Length; n++)
        {
            u -= weights[n];
            if (u < 0)
            {
                return n;
            }
        }

        return weights.Length - 1;
    }

    /// <summary>An approximately standard normal float, for image noise only (fast, light tails).</summary>
    public float NextNoise()
    {
        // Irwin-Hall with four 16-bit uniforms from one draw: variance 4/12 (scaled below to 1).
        // CT noise is then low-pass filtered, which makes it Gaussian by the central limit theorem
        // anyway, so the tails of this cheap approximation do not show in the images.
        ulong r = NextUInt64();
        int s = (int)(r & 0xFFFF) + (int)((r >> 16) & 0xFFFF) + (int)((r >> 32) & 0xFFFF) + (int)(r >> 48);
        return (s - 2 * 65535) * NoiseScale;
    }

    // 1 / (65536 * sqrt(4 / 12)) maps the sum of four 16-bit uniforms to unit variance.
    private const float NoiseScale = 1f / (65536f * 0.57735026f);

    private static ulong Mix(ulong z)
    {
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        return z ^ (z >> 31);
    }
}
