using Crlm.Core.IO;

namespace Crlm.Core.Tests.Synthetic;

/// <summary>Writes the gallery's greyscale PNGs with the product's encoder (<see cref="PngEncoder"/>).</summary>
internal static class PngGrayWriter
{
    public static void Write(string path, byte[] pixels, int width, int height)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        File.WriteAllBytes(path, PngEncoder.Gray(pixels, width, height));
    }
}
