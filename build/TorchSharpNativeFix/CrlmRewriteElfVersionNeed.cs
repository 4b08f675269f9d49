// Inline MSBuild task (RoslynCodeTaskFactory, Type="Class") used by build/TorchSharpNativeFix.targets.
//
// Why it exists: libLibTorchSharp.so (TorchSharp 0.107.0) lists GLIBCXX_3.4.32 in its
// .gnu.version_r section. glibc's loader checks EVERY version requirement listed there, even one
// no symbol uses any more, so clearing the one symbol's version with patchelf is not enough, and
// patchelf cannot delete or rename a requirement. This task renames that requirement in place to a
// version the system libstdc++ does provide (GLIBCXX_3.4.21 by default), fixing vna_hash too: the
// loader compares the ELF hash before the name, so a stale hash means "version not found".
//
// RoslynCodeTaskFactory compiles this against netstandard2.0 reference assemblies, so it only
// uses APIs found there (no Span/BinaryPrimitives) and reads integers byte by byte, which also
// keeps it independent of the build machine's byte order.
//
// Everything is validated before a single byte is written: a file that does not look exactly like
// the ELF64 little-endian x86-64 shared library we expect fails the build with CRLM003 and a
// message saying what was wrong, rather than producing a library that crashes at load time.

using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

public sealed class CrlmRewriteElfVersionNeed : Task
{
    private const string ErrorCode = "CRLM003";

    private const uint ShtDynsym = 11;
    private const uint ShtStrtab = 3;
    private const uint ShtGnuVerneed = 0x6ffffffe;
    private const uint ShtGnuVersym = 0x6fffffff;
    private const ushort EmX86_64 = 62;
    private const ushort EtDyn = 3;

    /// <summary>The ELF shared library to patch in place.</summary>
    [Required]
    public string File { get; set; } = string.Empty;

    /// <summary>The file name of the needed library whose requirement is renamed (libstdc++.so.6).</summary>
    [Required]
    public string NeededLibrary { get; set; } = string.Empty;

    /// <summary>The version requirement to get rid of (GLIBCXX_3.4.32).</summary>
    [Required]
    public string FromVersion { get; set; } = string.Empty;

    /// <summary>The version to require instead; must already be a string in the linked .dynstr.</summary>
    [Required]
    public string ToVersion { get; set; } = string.Empty;

    public override bool Execute()
    {
        byte[] image;
        try
        {
            image = System.IO.File.ReadAllBytes(File);
        }
        catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
        {
            return Fail("cannot read the file: " + ex.Message);
        }

        try
        {
            string summary = Patch(image);
            System.IO.File.WriteAllBytes(File, image);
            Log.LogMessage(MessageImportance.Normal, "CrlmRewriteElfVersionNeed: {0}: {1}", File, summary);
            return true;
        }
        catch (ElfFormatException ex)
        {
            return Fail(ex.Message);
        }
        catch (IOException ex)
        {
            return Fail("cannot write the file: " + ex.Message);
        }
    }

    private bool Fail(string reason)
    {
        Log.LogError(
            subcategory: null,
            errorCode: ErrorCode,
            helpKeyword: null,
            file: File,
            lineNumber: 0,
            columnNumber: 0,
            endLineNumber: 0,
            endColumnNumber: 0,
            message: "Cannot patch the version requirements of '{0}' ({1} -> {2}): {3}. "
                + "The TorchSharp native fix in build/TorchSharpNativeFix.targets was written for TorchSharp 0.107.0; "
                + "a different TorchSharp version may need a different fix.",
            messageArgs: new object[] { File, FromVersion, ToVersion, reason });
        return false;
    }

    /// <summary>Validates the image, rewrites the one vernaux entry and returns a one-line summary.</summary>
    private string Patch(byte[] image)
    {
        var elf = new Elf(image);

        Section verneed = elf.SingleSectionOfType(ShtGnuVerneed, ".gnu.version_r");
        Section verneedStrings = elf.LinkedStringTable(verneed, ".gnu.version_r");

        // Walk every requirement once: check that our ELF hash agrees with the linker's hashes (this
        // proves the hash function before we rely on it), find the entry to rewrite, and find an
        // existing entry that already names ToVersion so that we can reuse its string offset.
        var targets = new List<VernauxEntry>();
        uint? toVersionNameOffset = null;
        foreach (VernauxEntry aux in elf.Vernaux(verneed, verneedStrings))
        {
            uint expected = ElfHash(aux.Name);
            if (aux.Hash != expected)
            {
                throw new ElfFormatException(string.Format(
                    "vernaux '{0}' has vna_hash 0x{1:x8} but its ELF hash is 0x{2:x8}; refusing to edit a file whose hashes we do not reproduce",
                    aux.Name, aux.Hash, expected));
            }

            if (aux.Name == ToVersion)
            {
                toVersionNameOffset = aux.NameOffset;
            }

            if (aux.Name == FromVersion)
            {
                if (aux.File != NeededLibrary)
                {
                    throw new ElfFormatException(string.Format(
                        "'{0}' is required from '{1}', expected '{2}'", FromVersion, aux.File, NeededLibrary));
                }

                targets.Add(aux);
            }
        }

        if (targets.Count != 1)
        {
            throw new ElfFormatException(string.Format(
                "expected exactly one .gnu.version_r requirement named '{0}', found {1}", FromVersion, targets.Count));
        }

        VernauxEntry target = targets[0];

        // Any symbol still bound to the old version index would, after the rename, be looked up as
        // ToVersion and fail with "symbol ... version GLIBCXX_3.4.21 not defined". patchelf
        // --clear-symbol-version must have unbound all of them; list any that remain.
        List<string> stillBound = elf.SymbolsWithVersionIndex(target.VersionIndex);
        if (stillBound.Count > 0)
        {
            throw new ElfFormatException(string.Format(
                "{0} dynamic symbol(s) still use version index {1} ({2}): {3}; each one needs "
                + "'patchelf --clear-symbol-version' and a definition in the shim library",
                stillBound.Count, target.VersionIndex, FromVersion, string.Join(", ", stillBound)));
        }

        uint newNameOffset = toVersionNameOffset ?? verneedStrings.FindString(image, ToVersion)
            ?? throw new ElfFormatException(string.Format(
                "the string '{0}' is not in the string table linked from .gnu.version_r", ToVersion));

        uint newHash = ElfHash(ToVersion);
        Elf.WriteU32(image, target.EntryOffset + 0, newHash);
        Elf.WriteU32(image, target.EntryOffset + 8, newNameOffset);

        // Re-read what we wrote through the same parser: the result must name ToVersion with its hash
        // and no requirement may name FromVersion any more.
        var check = new Elf(image);
        Section checkVerneed = check.SingleSectionOfType(ShtGnuVerneed, ".gnu.version_r");
        Section checkStrings = check.LinkedStringTable(checkVerneed, ".gnu.version_r");
        bool rewritten = false;
        foreach (VernauxEntry aux in check.Vernaux(checkVerneed, checkStrings))
        {
            if (aux.Name == FromVersion)
            {
                throw new ElfFormatException("the requirement still names " + FromVersion + " after rewriting");
            }

            if (aux.EntryOffset == target.EntryOffset)
            {
                rewritten = aux.Name == ToVersion && aux.Hash == newHash;
            }
        }

        if (!rewritten)
        {
            throw new ElfFormatException("the rewritten requirement does not read back as " + ToVersion);
        }

        return string.Format(
            "requirement {0} (index {1}, entry at file offset 0x{2:x}) of {3} now names {4} (vna_hash 0x{5:x8})",
            FromVersion, target.VersionIndex, target.EntryOffset, NeededLibrary, ToVersion, newHash);
    }

    /// <summary>The System V ABI ELF hash, as stored in vna_hash.</summary>
    private static uint ElfHash(string name)
    {
        uint h = 0;
        foreach (byte c in Encoding.ASCII.GetBytes(name))
        {
            h = (h << 4) + c;
            uint g = h & 0xf0000000;
            if (g != 0)
            {
                h ^= g >> 24;
            }

            h &= ~g;
        }

        return h;
    }

    private sealed class ElfFormatException : Exception
    {
        public ElfFormatException(string message)
            : base(message)
        {
        }
    }

    private struct Section
    {
        public int Index;
        public uint Type;
        public ulong Offset;
        public ulong Size;
        public uint Link;
        public uint Info;
        public ulong EntrySize;

        /// <summary>Offset of a NUL-terminated occurrence of value (suffix sharing is legal in ELF).</summary>
        public uint? FindString(byte[] image, string value)
        {
            byte[] needle = Encoding.ASCII.GetBytes(value + "\0");
            int start = checked((int)Offset);
            int end = checked((int)(Offset + Size)) - needle.Length;
            for (int i = start; i <= end; i++)
            {
                int j = 0;
                while (j < needle.Length && image[i + j] == needle[j])
                {
                    j++;
                }

                if (j == needle.Length)
                {
                    return (uint)(i - start);
                }
            }

            return null;
        }
    }

    private struct VernauxEntry
    {
        public string File;
        public int EntryOffset;
        public uint Hash;
        public ushort VersionIndex;
        public uint NameOffset;
        public string Name;
    }

    /// <summary>A bounds-checked reader for the parts of an ELF64 little-endian file we touch.</summary>
    private sealed class Elf
    {
        private readonly byte[] image;
        private readonly Section[] sections;

        public Elf(byte[] image)
        {
            this.image = image;
            if (image.Length < 64 || image[0] != 0x7f || image[1] != (byte)'E' || image[2] != (byte)'L' || image[3] != (byte)'F')
            {
                throw new ElfFormatException("not an ELF file");
            }

            if (image[4] != 2)
            {
                throw new ElfFormatException("not ELF64 (EI_CLASS = " + image[4] + ")");
            }

            if (image[5] != 1)
            {
                throw new ElfFormatException("not little-endian (EI_DATA = " + image[5] + ")");
            }

            ushort type = U16(16);
            ushort machine = U16(18);
            if (type != EtDyn || machine != EmX86_64)
            {
                throw new ElfFormatException(string.Format(
                    "not an x86-64 shared library (e_type = {0}, e_machine = {1})", type, machine));
            }

            ulong shoff = U64(40);
            ushort shentsize = U16(58);
            ushort shnum = U16(60);
            if (shentsize != 64 || shnum == 0 || shoff == 0)
            {
                throw new ElfFormatException(string.Format(
                    "unexpected section header table (e_shoff = {0}, e_shentsize = {1}, e_shnum = {2})", shoff, shentsize, shnum));
            }

            Require(shoff, (ulong)shnum * 64, "section header table");
            sections = new Section[shnum];
            for (int i = 0; i < shnum; i++)
            {
                int h = checked((int)shoff + (i * 64));
                var s = new Section
                {
                    Index = i,
                    Type = U32(h + 4),
                    Offset = U64(h + 24),
                    Size = U64(h + 32),
                    Link = U32(h + 40),
                    Info = U32(h + 44),
                    EntrySize = U64(h + 56),
                };

                // SHT_NOBITS (8) occupies no file bytes; everything else must lie inside the file.
                if (s.Type != 8)
                {
                    Require(s.Offset, s.Size, "section " + i);
                }

                sections[i] = s;
            }
        }

        public Section SingleSectionOfType(uint type, string what)
        {
            Section? found = null;
            foreach (Section s in sections)
            {
                if (s.Type == type)
                {
                    if (found.HasValue)
                    {
                        throw new ElfFormatException("more than one " + what + " section");
                    }

                    found = s;
                }
            }

            return found ?? throw new ElfFormatException("no " + what + " section");
        }

        public Section LinkedStringTable(Section from, string what)
        {
            if (from.Link == 0 || from.Link >= sections.Length || sections[from.Link].Type != ShtStrtab)
            {
                throw new ElfFormatException(what + " does not link to a string table (sh_link = " + from.Link + ")");
            }

            return sections[from.Link];
        }

        public IEnumerable<VernauxEntry> Vernaux(Section verneed, Section strings)
        {
            // sh_info holds the number of Elf64_Verneed records; vn_next/vna_next are relative offsets.
            var result = new List<VernauxEntry>();
            ulong needOffset = verneed.Offset;
            ulong end = verneed.Offset + verneed.Size;
            for (uint n = 0; n < verneed.Info; n++)
            {
                RequireWithin(needOffset, 16, verneed.Offset, end, "Elf64_Verneed");
                int vn = checked((int)needOffset);
                ushort version = U16(vn);
                if (version != 1)
                {
                    throw new ElfFormatException("unsupported vn_version " + version);
                }

                ushort count = U16(vn + 2);
                string file = ReadString(strings, U32(vn + 4));
                ulong auxOffset = needOffset + U32(vn + 8);
                for (int a = 0; a < count; a++)
                {
                    RequireWithin(auxOffset, 16, verneed.Offset, end, "Elf64_Vernaux");
                    int va = checked((int)auxOffset);
                    uint nameOffset = U32(va + 8);
                    result.Add(new VernauxEntry
                    {
                        File = file,
                        EntryOffset = va,
                        Hash = U32(va),
                        VersionIndex = (ushort)(U16(va + 6) & 0x7fff),
                        NameOffset = nameOffset,
                        Name = ReadString(strings, nameOffset),
                    });

                    uint next = U32(va + 12);
                    if (next == 0 && a != count - 1)
                    {
                        throw new ElfFormatException("vernaux chain of '" + file + "' ends before vn_cnt entries");
                    }

                    auxOffset += next;
                }

                uint nextNeed = U32(vn + 12);
                if (nextNeed == 0 && n != verneed.Info - 1)
                {
                    throw new ElfFormatException(".gnu.version_r ends before sh_info entries");
                }

                needOffset += nextNeed;
            }

            return result;
        }

        public List<string> SymbolsWithVersionIndex(ushort versionIndex)
        {
            Section versym = SingleSectionOfType(ShtGnuVersym, ".gnu.version");
            if (versym.Link == 0 || versym.Link >= sections.Length || sections[versym.Link].Type != ShtDynsym)
            {
                throw new ElfFormatException(".gnu.version does not link to .dynsym");
            }

            Section dynsym = sections[versym.Link];
            if (dynsym.EntrySize != 24)
            {
                throw new ElfFormatException("unexpected .dynsym entry size " + dynsym.EntrySize);
            }

            Section names = LinkedStringTable(dynsym, ".dynsym");
            ulong count = dynsym.Size / 24;
            if (versym.Size != count * 2)
            {
                throw new ElfFormatException(string.Format(
                    ".gnu.version has {0} entries but .dynsym has {1}", versym.Size / 2, count));
            }

            var bound = new List<string>();
            for (ulong i = 0; i < count; i++)
            {
                int index = U16(checked((int)(versym.Offset + (i * 2)))) & 0x7fff;
                if (index == versionIndex)
                {
                    bound.Add(ReadString(names, U32(checked((int)(dynsym.Offset + (i * 24))))));
                }
            }

            return bound;
        }

        public static void WriteU32(byte[] image, int offset, uint value)
        {
            image[offset] = (byte)value;
            image[offset + 1] = (byte)(value >> 8);
            image[offset + 2] = (byte)(value >> 16);
            image[offset + 3] = (byte)(value >> 24);
        }

        private string ReadString(Section strings, uint offset)
        {
            if (offset >= strings.Size)
            {
                throw new ElfFormatException("string offset " + offset + " is outside its string table");
            }

            int start = checked((int)(strings.Offset + offset));
            int end = checked((int)(strings.Offset + strings.Size));
            int stop = Array.IndexOf(image, (byte)0, start, end - start);
            if (stop < 0)
            {
                throw new ElfFormatException("unterminated string at string table offset " + offset);
            }

            return Encoding.ASCII.GetString(image, start, stop - start);
        }

        private void Require(ulong offset, ulong size, string what)
        {
            if (offset > (ulong)image.Length || size > (ulong)image.Length - offset)
            {
                throw new ElfFormatException(what + " lies outside the file");
            }
        }

        private static void RequireWithin(ulong offset, ulong size, ulong start, ulong end, string what)
        {
            if (offset < start || offset + size > end)
            {
                throw new ElfFormatException(what + " lies outside .gnu.version_r");
            }
        }

        private ushort U16(int o) => (ushort)(image[o] | (image[o + 1] << 8));

        private uint U32(int o) => (uint)(image[o] | (image[o + 1] << 8) | (image[o + 2] << 16) | (image[o + 3] << 24));

        private ulong U64(int o) => U32(o) | ((ulong)U32(o + 4) << 32);
    }
}
