using System.Text;

namespace Crlm.Deep.Tests;

/// <summary>
/// Reads the DT_NEEDED libraries and .gnu.version_r requirements of an ELF64 little-endian shared
/// library. Deliberately independent of build/TorchSharpNativeFix (a second, separate reading of
/// the patched file) and of readelf, which a minimal machine may lack.
/// </summary>
internal sealed class ElfDependencies
{
    private const uint ShtDynamic = 6;
    private const uint ShtGnuVerneed = 0x6ffffffe;
    private const long DtNull = 0;
    private const long DtNeeded = 1;

    private ElfDependencies(IReadOnlyList<string> needed, IReadOnlyList<(string File, string Version)> requiredVersions)
    {
        Needed = needed;
        RequiredVersions = requiredVersions;
    }

    /// <summary>DT_NEEDED entries, in order.</summary>
    public IReadOnlyList<string> Needed { get; }

    /// <summary>Every (library, version) pair the loader checks before it accepts the file.</summary>
    public IReadOnlyList<(string File, string Version)> RequiredVersions { get; }

    public static ElfDependencies Read(string path)
    {
        byte[] image = File.ReadAllBytes(path);
        if (image.Length < 64 || image[0] != 0x7f || image[1] != (byte)'E' || image[2] != (byte)'L' || image[3] != (byte)'F'
            || image[4] != 2 || image[5] != 1)
        {
            throw new InvalidDataException($"{path} is not an ELF64 little-endian file");
        }

        long shoff = (long)U64(image, 40);
        int shentsize = U16(image, 58);
        int shnum = U16(image, 60);
        if (shentsize != 64 || shnum == 0)
        {
            throw new InvalidDataException($"{path} has no usable section header table");
        }

        var sections = new (uint Type, long Offset, long Size, uint Link, uint Info)[shnum];
        for (int i = 0; i < shnum; i++)
        {
            int h = checked((int)(shoff + (i * 64L)));
            sections[i] = (U32(image, h + 4), (long)U64(image, h + 24), (long)U64(image, h + 32), U32(image, h + 40), U32(image, h + 44));
        }

        var needed = new List<string>();
        var versions = new List<(string, string)>();
        foreach (var section in sections)
        {
            if (section.Type == ShtDynamic)
            {
                var strings = sections[section.Link];
                for (long e = section.Offset; e + 16 <= section.Offset + section.Size; e += 16)
                {
                    long tag = (long)U64(image, (int)e);
                    if (tag == DtNull)
                    {
                        break;
                    }

                    if (tag == DtNeeded)
                    {
                        needed.Add(ReadString(image, strings.Offset, U64(image, (int)e + 8)));
                    }
                }
            }
            else if (section.Type == ShtGnuVerneed)
            {
                var strings = sections[section.Link];
                long need = section.Offset;
                for (uint n = 0; n < section.Info; n++)
                {
                    string file = ReadString(image, strings.Offset, U32(image, (int)need + 4));
                    long aux = need + U32(image, (int)need + 8);
                    for (int a = 0; a < U16(image, (int)need + 2); a++)
                    {
                        versions.Add((file, ReadString(image, strings.Offset, U32(image, (int)aux + 8))));
                        aux += U32(image, (int)aux + 12);
                    }

                    need += U32(image, (int)need + 12);
                }
            }
        }

        return new ElfDependencies(needed, versions);
    }

    private static string ReadString(byte[] image, long tableOffset, ulong offset)
    {
        int start = checked((int)(tableOffset + (long)offset));
        int end = Array.IndexOf(image, (byte)0, start);
        return Encoding.ASCII.GetString(image, start, end - start);
    }

    private static ushort U16(byte[] b, int o) => (ushort)(b[o] | (b[o + 1] << 8));

    private static uint U32(byte[] b, int o) => (uint)(b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24));

    private static ulong U64(byte[] b, int o) => U32(b, o) | ((ulong)U32(b, o + 4) << 32);
}
