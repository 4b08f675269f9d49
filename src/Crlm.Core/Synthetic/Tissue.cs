using Crlm.Core.Cohort;

namespace Crlm.Core.Synthetic;

/// <summary>Tissue classes of the phantom's label map (one byte per voxel).</summary>
internal enum Tissue : byte
{
    Air,
    Lung,
    Skin,
    SubcutaneousFat,
    VisceralFat,
    Muscle,
    CorticalBone,
    CancellousBone,
    Disc,
    SpinalCanal,
    Aorta,
    Artery,
    Ivc,
    PortalVein,
    HepaticVein,
    Liver,
    Spleen,
    KidneyCortex,
    KidneyMedulla,
    RenalSinus,
    RenalPelvis,
    Pancreas,
    GutWall,
    GastricContent,
    BowelFluid,
    BowelGas,
    Faeces,
    Gallbladder,
    Myocardium,
    HeartBlood,
    Table,

    /// <summary>A focal liver lesion: its HU comes from <see cref="LesionAppearance"/>, not the table.</summary>
    Lesion,
}

/// <summary>
/// Attenuation of each tissue: HU(phase) = unenhanced + enhancement(phase) x the patient's
/// enhancement factor, plus a texture of the given SD. Values are typical adult contrast CT at
/// 120 kVp (late arterial ~35 s, portal venous ~70 s, delayed ~3-5 min after injection); the
/// table in docs/synthetic-cohort.md lists the same numbers (update both together).
/// </summary>
internal static class TissueHu
{
    private readonly record struct Entry(double Unenhanced, double Arterial, double PortalVenous, double Delayed, double TextureSd, double ArterialTextureSd);

    private static readonly Entry[] Table = Build();

    public static int Count => Table.Length;

    /// <summary>Mean HU of <paramref name="tissue"/> in <paramref name="phase"/> for enhancement factor 1.</summary>
    public static double Mean(Tissue tissue, ContrastPhase phase, double enhancementFactor = 1)
    {
        var e = Table[(int)tissue];
        double enhancement = phase switch
        {
            ContrastPhase.Arterial => e.Arterial,
            ContrastPhase.PortalVenous => e.PortalVenous,
            ContrastPhase.Delayed => e.Delayed,
            _ => 0,
        };
        return e.Unenhanced + enhancementFactor * enhancement;
    }

    /// <summary>SD of the tissue's low-frequency texture, HU (the spleen is mottled in the arterial phase).</summary>
    public static double TextureSd(Tissue tissue, ContrastPhase phase)
    {
        var e = Table[(int)tissue];
        return phase == ContrastPhase.Arterial ? e.ArterialTextureSd : e.TextureSd;
    }

    private static Entry[] Build()
    {
        var t = new Entry[(int)Tissue.Lesion + 1];
        void Set(Tissue tissue, double unenhanced, double arterial, double portal, double delayed, double texture, double? arterialTexture = null) =>
            t[(int)tissue] = new Entry(unenhanced, arterial, portal, delayed, texture, arterialTexture ?? texture);

        // Enhancement columns are HU added to the unenhanced value, not absolute HU.
        Set(Tissue.Air, -1000, 0, 0, 0, 0);
        Set(Tissue.Lung, -860, 0, 0, 0, 35);
        Set(Tissue.Skin, 35, 15, 20, 15, 4);
        Set(Tissue.SubcutaneousFat, -105, 0, 0, 0, 6);
        Set(Tissue.VisceralFat, -95, 3, 5, 4, 22);
        Set(Tissue.Muscle, 45, 8, 15, 12, 5);
        Set(Tissue.CorticalBone, 900, 0, 0, 0, 60);
        Set(Tissue.CancellousBone, 220, 10, 15, 10, 45);
        Set(Tissue.Disc, 80, 3, 5, 5, 5);
        Set(Tissue.SpinalCanal, 15, 2, 4, 4, 3);
        Set(Tissue.Aorta, 40, 280, 130, 80, 3);
        Set(Tissue.Artery, 40, 250, 120, 75, 3);
        Set(Tissue.Ivc, 40, 45, 120, 80, 6, 15);
        Set(Tissue.PortalVein, 40, 80, 140, 85, 4);
        Set(Tissue.HepaticVein, 40, 10, 115, 85, 4);
        Set(Tissue.Liver, 58, 20, 60, 40, 5);
        Set(Tissue.Spleen, 48, 75, 65, 45, 5, 18);
        Set(Tissue.KidneyCortex, 35, 160, 140, 100, 5);
        Set(Tissue.KidneyMedulla, 35, 40, 125, 110, 5);
        Set(Tissue.RenalSinus, -70, 0, 0, 0, 20);
        Set(Tissue.RenalPelvis, 10, 0, 15, 450, 5);
        Set(Tissue.Pancreas, 45, 75, 55, 35, 10);
        Set(Tissue.GutWall, 40, 60, 70, 50, 6);
        Set(Tissue.GastricContent, 15, 0, 0, 0, 8);
        Set(Tissue.BowelFluid, 18, 0, 0, 0, 8);
        Set(Tissue.BowelGas, -960, 0, 0, 0, 15);
        Set(Tissue.Faeces, -60, 0, 0, 0, 70);
        Set(Tissue.Gallbladder, 8, 0, 0, 0, 3);
        Set(Tissue.Myocardium, 45, 70, 75, 50, 5);
        Set(Tissue.HeartBlood, 40, 220, 140, 85, 5);
        Set(Tissue.Table, 150, 0, 0, 0, 10);
        Set(Tissue.Lesion, 58, 20, 60, 40, 5);
        return t;
    }
}
