using System.Globalization;
using Crlm.Core.IO.Nifti;
using Crlm.Core.Tests.TestSupport;
using static Crlm.Core.Tests.IO.Nifti.NiftiTestFiles;

namespace Crlm.Core.Tests.IO.Nifti;

/// <summary>
/// The NIfTI standard's choice between the two stored transforms, on one file whose sform and qform disagree:
/// sform when sform_code &gt; 0, else qform when qform_code &gt; 0, else the pixdim fallback; and nibabel
/// (get_best_affine, as the peers read files) picks the same matrix.
/// </summary>
public sealed class NiftiTransformPrecedenceTests : IDisposable
{
    private const int QformCode = 252, SformCode = 254, SRowX = 280;

    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    /// <summary>The oblique test file (qform = sform = its grid) with the sform moved 100 mm and scaled 2x along x.</summary>
    private static byte[] Disagreeing(short sform, short qform)
    {
        byte[] b = ValidInt16File();
        float x0 = BitConverter.ToSingle(b, SRowX);
        PutFloat(b, SRowX, x0 * 2);
        PutFloat(b, SRowX + 12, BitConverter.ToSingle(b, SRowX + 12) + 100);
        PutInt16(b, SformCode, sform);
        PutInt16(b, QformCode, qform);
        return b;
    }

    [Theory]
    [InlineData(2, 1, "sform")]
    [InlineData(4, 0, "sform")]
    [InlineData(0, 1, "qform")]
    [InlineData(0, 0, "pixdim")]
    public void The_standard_order_picks_the_transform(short sform, short qform, string expected)
    {
        string path = _temp.File($"t{sform}{qform}.nii");
        File.WriteAllBytes(path, Disagreeing(sform, qform));
        var header = NiftiReader.ReadHeader(path);
        Assert.Equal(expected, header.AffineSource);

        var affine = header.Affine();
        double[,] chosen = expected switch
        {
            "sform" => header.SformAffine(),
            "qform" => header.QformAffine(),
            _ => header.BaseAffine(),
        };
        Assert.Equal(chosen, affine);
        // The three candidates differ, so picking the wrong one cannot pass.
        var candidates = new Dictionary<string, double[,]>(StringComparer.Ordinal)
        {
            ["sform"] = header.SformAffine(),
            ["qform"] = header.QformAffine(),
            ["pixdim"] = header.BaseAffine(),
        };
        foreach (var (name, other) in candidates.Where(c => c.Key != expected))
        {
            Assert.False(Same(other, chosen), $"{expected}: the {name} equals it, so the file does not test precedence");
        }

        if (NibabelPython.UnavailableReason is null)
        {
            string printed = NibabelPython.Run("import sys, nibabel; a = nibabel.load(sys.argv[1]).affine; print(' '.join(repr(float(v)) for v in a.ravel()))", path);
            double[] nib = printed.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
            for (int n = 0; n < 16; n++)
            {
                Assert.True(Math.Abs(nib[n] - affine[n / 4, n % 4]) <= 1e-4, $"{expected}: affine[{n / 4},{n % 4}] nibabel {nib[n]:R}, ours {affine[n / 4, n % 4]:R}");
            }
        }
    }

    private static bool Same(double[,] a, double[,] b) =>
        Enumerable.Range(0, 16).All(n => Math.Abs(a[n / 4, n % 4] - b[n / 4, n % 4]) <= 1e-6);
}
