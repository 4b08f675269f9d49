namespace Crlm.Core.Cohort;

/// <summary>The study's three diagnostic labels. The binary target is crlm vs the other two.</summary>
public enum CohortLabel
{
    Crlm,
    NonCrlm,
    Negative,
}

/// <summary>Contrast phase of a scan.</summary>
public enum ContrastPhase
{
    Arterial,
    PortalVenous,
    Delayed,
    Unknown,
}

/// <summary>Patient sex as the manifest records it; Unknown when the cell is empty.</summary>
public enum PatientSex
{
    Unknown,
    Female,
    Male,
}

/// <summary>The manifest's spelling of labels and phases, in one place so parser and writer agree.</summary>
public static class CohortVocabulary
{
    public static IReadOnlyList<string> LabelNames { get; } = ["crlm", "non_crlm", "negative"];

    public static IReadOnlyList<string> PhaseNames { get; } = ["arterial", "portal_venous", "delayed", "unknown"];

    public static string Name(this CohortLabel label) => LabelNames[(int)label];

    public static string Name(this ContrastPhase phase) => PhaseNames[(int)phase];

    public static bool IsPositive(this CohortLabel label) => label == CohortLabel.Crlm;

    public static bool TryParseLabel(string text, out CohortLabel label) => TryParse(text, LabelNames, out label);

    public static bool TryParsePhase(string text, out ContrastPhase phase) => TryParse(text, PhaseNames, out phase);

    public static bool TryParseSex(string text, out PatientSex sex)
    {
        switch (text.Trim().ToUpperInvariant())
        {
            case "":
                sex = PatientSex.Unknown;
                return true;
            case "F" or "FEMALE":
                sex = PatientSex.Female;
                return true;
            case "M" or "MALE":
                sex = PatientSex.Male;
                return true;
            default:
                sex = PatientSex.Unknown;
                return false;
        }
    }

    public static string Code(this PatientSex sex) => sex switch
    {
        PatientSex.Female => "F",
        PatientSex.Male => "M",
        _ => "",
    };

    /// <summary>Accepts true/false, yes/no, 1/0 (any case).</summary>
    public static bool TryParseFlag(string text, out bool value)
    {
        switch (text.Trim().ToUpperInvariant())
        {
            case "TRUE" or "YES" or "1":
                value = true;
                return true;
            case "FALSE" or "NO" or "0":
                value = false;
                return true;
            default:
                value = false;
                return false;
        }
    }

    private static bool TryParse<TEnum>(string text, IReadOnlyList<string> names, out TEnum value) where TEnum : struct, Enum
    {
        string key = text.Trim().ToLowerInvariant();
        for (int n = 0; n < names.Count; n++)
        {
            if (names[n] == key)
            {
                value = (TEnum)(object)n;
                return true;
            }
        }

        value = default;
        return false;
    }
}
