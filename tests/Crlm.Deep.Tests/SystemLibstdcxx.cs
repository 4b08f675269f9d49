using System.Diagnostics;
using System.Text;

namespace Crlm.Deep.Tests;

/// <summary>
/// Answers, independently of the build, whether this machine's libstdc++ exports GLIBCXX_3.4.32
/// (GCC 13+). Finds the library the way the loader does (ldconfig's cache), then the usual folders.
/// </summary>
internal static class SystemLibstdcxx
{
    public const string Gcc13Version = "GLIBCXX_3.4.32";

    private static readonly string[] UsualPaths =
    [
        "/usr/lib/x86_64-linux-gnu/libstdc++.so.6",
        "/usr/lib64/libstdc++.so.6",
        "/usr/lib/libstdc++.so.6",
    ];

    public static string Locate()
    {
        string? fromLdconfig = FromLdconfig();
        if (fromLdconfig is not null && File.Exists(fromLdconfig))
        {
            return fromLdconfig;
        }

        return UsualPaths.FirstOrDefault(File.Exists)
            ?? throw new FileNotFoundException("libstdc++.so.6 is neither in ldconfig's cache nor in the usual folders");
    }

    public static bool HasGcc13Version() => Contains(File.ReadAllBytes(Locate()), Encoding.ASCII.GetBytes(Gcc13Version));

    private static string? FromLdconfig()
    {
        foreach (string ldconfig in new[] { "/sbin/ldconfig", "/usr/sbin/ldconfig" }.Where(File.Exists))
        {
            var start = new ProcessStartInfo(ldconfig, "-p") { RedirectStandardOutput = true, UseShellExecute = false };
            using Process process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {ldconfig}");
            string output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            foreach (string line in output.Split('\n'))
            {
                // e.g. "	libstdc++.so.6 (libc6,x86-64) => /lib/x86_64-linux-gnu/libstdc++.so.6"
                int arrow = line.IndexOf("=>", StringComparison.Ordinal);
                if (line.TrimStart().StartsWith("libstdc++.so.6 (libc6,x86-64", StringComparison.Ordinal) && arrow > 0)
                {
                    return line[(arrow + 2)..].Trim();
                }
            }
        }

        return null;
    }

    private static bool Contains(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle) >= 0;
}
