using Crlm.Core.Imaging;

namespace Crlm.Core.Synthetic;

/// <summary>
/// Turns a <see cref="PatientAnatomy"/> into labels on the patient's canonical grid. Painting
/// order encodes anatomy: the body wall first, then bone, lungs, vessels and solid organs, then
/// the liver (which fills only free abdominal fat, so organs painted earlier carve its outline),
/// the bowel (which packs into what fat is left) and finally the intrahepatic vessels.
/// Big structures are filled as row intervals; small ones are evaluated inside their bounding box.
/// </summary>
internal static class AnatomyRasterizer
{
    private static readonly TissueSet Free = TissueSet.Of(Tissue.VisceralFat);
    private static readonly TissueSet FreeOrLung = TissueSet.Of(Tissue.VisceralFat, Tissue.Lung, Tissue.Muscle);
    private static readonly TissueSet InsideBody = TissueSet.Of(Tissue.VisceralFat, Tissue.Muscle, Tissue.SubcutaneousFat, Tissue.Lung);
    private static readonly TissueSet LiverOnly = TissueSet.Of(Tissue.Liver);

    public static PatientLabels Rasterize(PatientAnatomy a, ScanGrid grid, SynthRandom textureRng)
    {
        var labels = new PatientLabels(grid);
        PaintBody(a, labels);
        PaintTable(a, labels);
        PaintLungsAndHeart(a, labels);
        PaintSpine(a, labels);
        PaintMuscles(a, labels);
        foreach (var vessel in a.Vessels)
        {
            PaintTube(labels, vessel.Tube, FreeOrLung, vessel.Tissue);
        }

        PaintOrgans(a, labels);
        PaintLiver(a, labels);
        var texture = FillTexture(labels, textureRng);
        PaintBowel(a, labels, texture);
        foreach (var vessel in a.HepaticVessels)
        {
            PaintTube(labels, vessel.Tube, LiverOnly, vessel.Tissue);
        }

        return labels;
    }

    /// <summary>
    /// Skin, subcutaneous fat, muscle wall (with ribs) and the abdominal cavity, row by row. The
    /// fat/muscle and muscle/cavity borders wobble a few mm independently on each side, so the
    /// wall is not a perfect ring; the rectus muscles thicken it either side of the midline.
    /// </summary>
    private static void PaintBody(PatientAnatomy a, PatientLabels labels)
    {
        var g = labels.Grid;
        var body = a.Body;
        var map = labels.TissueMap;
        var noise = a.ShapeNoise;
        for (int k = 0; k < g.Size.Z; k++)
        {
            for (int j = 0; j < g.Size.Y; j++)
            {
                var p0 = g.PatientPosition(0, j, k);
                int row = labels.Index(0, j, k);
                var span = map.AsSpan(row, g.Size.X);
                double y = p0.Y, z = p0.Z;
                double skin = body.LayerHalfWidth(0, y, z), under = body.LayerHalfWidth(1, y, z);
                double fat = body.LayerHalfWidth(2, y, z), cavity = body.LayerHalfWidth(3, y, z);
                FillLayer(span, g, p0, skin, skin, Tissue.Skin);
                FillLayer(span, g, p0, under, under, Tissue.SubcutaneousFat);
                FillLayer(span, g, p0, Wobble(fat, 3, noise, -fat, y, z), Wobble(fat, 3, noise, fat, y, z), Tissue.Muscle);
                FillLayer(span, g, p0, Wobble(cavity, 2.5, noise, -cavity - 300, y, z), Wobble(cavity, 2.5, noise, cavity + 300, y, z), Tissue.VisceralFat);
                PaintRibs(a, span, g, p0, fat, cavity);
            }
        }

        // Rectus abdominis: paired straps in the anterior wall, split by the linea alba.
        double wallY = body.HalfDepth - body.Skin - body.FatAnterior - 0.5 * body.MuscleWall;
        double rx = 0.22 * body.HalfWidth, ry = 0.75 * body.MuscleWall;
        labels.Paint(new Vec3(-2.2 * rx, wallY - ry, g.PatientOrigin.Z), new Vec3(2.2 * rx, wallY + ry, g.PatientPosition(0, 0, g.Size.Z).Z),
            TissueSet.Of(Tissue.VisceralFat, Tissue.SubcutaneousFat), (p, _) =>
            {
                double ex = (Math.Abs(p.X) - 1.1 * rx) / rx, ey = (p.Y - wallY) / ry;
                return ex * ex + ey * ey <= 1 && Math.Abs(p.X) > 3 ? Tissue.Muscle : Tissue.Air;
            });
    }

    private static double Wobble(double halfWidth, double mm, LatticeNoise noise, double x, double y, double z) =>
        halfWidth <= 0 ? halfWidth : halfWidth + mm * noise.Sample(x, y, z);

    /// <summary>Fills the row between x = -<paramref name="left"/> and x = +<paramref name="right"/>.</summary>
    private static void FillLayer(Span<byte> row, ScanGrid g, Vec3 p0, double left, double right, Tissue tissue)
    {
        if (left <= 0 || right <= 0)
        {
            return;
        }

        int lo = Math.Max(0, (int)Math.Ceiling((-left - p0.X) / g.Spacing.X));
        int hi = Math.Min(row.Length - 1, (int)Math.Floor((right - p0.X) / g.Spacing.X));
        if (lo <= hi)
        {
            row[lo..(hi + 1)].Fill((byte)tissue);
        }
    }

    /// <summary>
    /// Ribs inside the muscle wall: oblique bands that descend from the spine to the front, so an
    /// axial slice cuts each one as a short arc; absent below the costal margin and over the
    /// anterior midline (cartilage and xiphoid).
    /// </summary>
    private static void PaintRibs(PatientAnatomy a, Span<byte> row, ScanGrid g, Vec3 p0, double outer, double inner)
    {
        const double pitch = 36, thickness = 8.5, slope = 38;
        for (int i = 0; i < row.Length; i++)
        {
            if (row[i] != (byte)Tissue.Muscle)
            {
                continue;
            }

            double x = p0.X + i * g.Spacing.X, y = p0.Y, z = p0.Z;
            double around = Math.Atan2(Math.Abs(x), -y); // 0 at the spine, pi at the sternum
            double costalMargin = -75 + 95 * (around / Math.PI) * (around / Math.PI);
            if (z < costalMargin || around > 0.86 * Math.PI || around < 0.12 * Math.PI)
            {
                continue;
            }

            double depth = WallDepth(a.Body, x, y, outer, inner);
            double phase = (z + slope * around) / pitch;
            double f = (phase - Math.Floor(phase)) * pitch;
            // Elliptic rib cross-section: a cortical shell round a marrow core.
            double u = (f - 0.5 * thickness) / (0.5 * thickness), w = (depth - 0.52) / 0.28;
            double e = u * u + w * w;
            if (e <= 1)
            {
                row[i] = (byte)(e < 0.35 ? Tissue.CancellousBone : Tissue.CorticalBone);
            }
        }
    }

    /// <summary>Relative depth inside the muscle wall: 0 at the cavity, 1 at the fat.</summary>
    private static double WallDepth(BodyShape body, double x, double y, double outer, double inner)
    {
        if (inner > 0 && Math.Abs(x) > inner && outer > inner)
        {
            return (Math.Abs(x) - inner) / (outer - inner);
        }

        // Front and back of the wall: measure along y instead.
        double fat = y >= 0 ? body.FatAnterior : body.FatPosterior;
        double outerY = body.HalfDepth - body.Skin - fat, innerY = outerY - body.MuscleWall;
        return Math.Clamp((Math.Abs(y) - innerY) / (outerY - innerY), 0, 1);
    }

    /// <summary>The couch: a thin curved slab under the back, outside the body.</summary>
    private static void PaintTable(PatientAnatomy a, PatientLabels labels)
    {
        var g = labels.Grid;
        double top = a.TableY;
        labels.Paint(new Vec3(-260, top - 40, g.PatientOrigin.Z), new Vec3(260, top, g.PatientOrigin.Z + g.Size.Z * g.Spacing.Z),
            TissueSet.Of(Tissue.Air), (p, _) =>
            {
                double surface = top + p.X * p.X / 1400;
                return p.Y <= surface && p.Y > surface - 6 && Math.Abs(p.X) < 230 ? Tissue.Table : Tissue.Air;
            });
    }

    /// <summary>Lungs above the diaphragm (posterior recesses reach low), the diaphragm muscle, mediastinal fat and the heart.</summary>
    private static void PaintLungsAndHeart(PatientAnatomy a, PatientLabels labels)
    {
        var g = labels.Grid;
        var dia = a.Diaphragm;
        var spine = a.Spine;
        double w = a.Body.HalfWidth + 10, d = a.Body.HalfDepth + 10;
        labels.Paint(new Vec3(-w, -d, dia.MaxZ - 140), new Vec3(w, d, g.PatientOrigin.Z + g.Size.Z * g.Spacing.Z), Free, (p, _) =>
        {
            double above = p.Z - dia.SurfaceZ(p.X, p.Y);
            if (above < 0)
            {
                return Tissue.Air;
            }

            if (above < 5)
            {
                return Tissue.Muscle;
            }

            bool mediastinum = Math.Abs(p.X + 6) < 26 && p.Y > spine.BodyY - 8;
            return mediastinum ? Tissue.Air : Tissue.Lung;
        });

        var heart = a.Heart;
        var pericardium = heart.Grown(5);
        labels.Paint(pericardium.BoxMin, pericardium.BoxMax, FreeOrLung, (p, _) =>
        {
            if (p.Z - dia.SurfaceZ(p.X, p.Y) < 3)
            {
                return Tissue.Air;
            }

            double level = heart.Level(p);
            if (level > 1)
            {
                return pericardium.Level(p) <= 1 ? Tissue.VisceralFat : Tissue.Air;
            }

            double inner = 1 - 11 / heart.MinRadius;
            return level > inner * inner ? Tissue.Myocardium : Tissue.HeartBlood;
        });
    }

    /// <summary>Vertebral body (cortex, marrow, discs), spinal canal, laminae, spinous and transverse processes.</summary>
    private static void PaintSpine(PatientAnatomy a, PatientLabels labels)
    {
        var s = a.Spine;
        var g = labels.Grid;
        double zTop = g.PatientOrigin.Z + g.Size.Z * g.Spacing.Z;
        labels.Paint(new Vec3(-48, s.SpinousTipY - 2, g.PatientOrigin.Z - 1), new Vec3(48, s.BodyY + s.BodyRadiusY + 2, zTop), InsideBody, (p, _) =>
        {
            double bx = p.X / s.BodyRadiusX, by = (p.Y - s.BodyY) / s.BodyRadiusY;
            double bodyLevel = bx * bx + by * by;
            double cycle = s.Cycle(p.Z);
            bool disc = s.InDisc(p.Z);
            if (bodyLevel <= 1)
            {
                if (disc)
                {
                    return Tissue.Disc;
                }

                double endplate = Math.Min(cycle * s.Pitch - s.DiscThickness, s.Pitch - cycle * s.Pitch);
                return bodyLevel > 0.8 || endplate < 1.5 ? Tissue.CorticalBone : Tissue.CancellousBone;
            }

            double cx = p.X, cy = p.Y - s.CanalY;
            double canal = Math.Sqrt(cx * cx + cy * cy);
            if (canal <= s.CanalRadius)
            {
                return Tissue.SpinalCanal;
            }

            if (disc)
            {
                return Tissue.Air;
            }

            // Pedicles and laminae: a bony ring around the canal, joined to the body in front.
            if (canal <= s.CanalRadius + 5.5 && p.Y < s.BodyY)
            {
                return Tissue.CorticalBone;
            }

            bool spinous = Math.Abs(p.X) < 3.5 && p.Y < s.CanalY - s.CanalRadius && p.Y > s.SpinousTipY && cycle > 0.3 && cycle < 0.85;
            // Transverse processes taper laterally and show only in the mid-vertebral slices.
            double lateral = Math.Abs(p.X);
            bool transverse = lateral < 34 && Math.Abs(p.Y - s.CanalY - 3) < 3.5 - 0.05 * lateral && cycle > 0.5 && cycle < 0.68;
            return spinous || transverse ? Tissue.CorticalBone : Tissue.Air;
        });
    }

    /// <summary>Paraspinal muscles beside the spinous processes and the psoas muscles that grow caudally.</summary>
    private static void PaintMuscles(PatientAnatomy a, PatientLabels labels)
    {
        var s = a.Spine;
        var g = labels.Grid;
        double zTop = g.PatientOrigin.Z + g.Size.Z * g.Spacing.Z;
        var over = TissueSet.Of(Tissue.VisceralFat, Tissue.SubcutaneousFat, Tissue.Lung);
        double muscleCx = s.BodyRadiusX * 0.45 + 22, muscleCy = s.CanalY - 14, rx = 30, ry = 28;
        double back = -a.Body.HalfDepth + a.Body.Skin + a.Body.FatPosterior;
        labels.Paint(new Vec3(-muscleCx - rx, back, g.PatientOrigin.Z), new Vec3(muscleCx + rx, muscleCy + ry, zTop), over, (p, _) =>
        {
            double ex = (Math.Abs(p.X) - muscleCx) / rx, ey = (p.Y - muscleCy) / ry;
            bool inMuscle = ex * ex + ey * ey <= 1 || (p.Y < muscleCy && Math.Abs(p.X) < muscleCx + rx * 0.7);
            return inMuscle && p.Y > back ? Tissue.Muscle : Tissue.Air;
        });

        double top = a.PsoasTopZ;
        labels.Paint(new Vec3(-70, s.BodyY - 30, g.PatientOrigin.Z), new Vec3(70, s.BodyY + 30, top), Free, (p, _) =>
        {
            double r = Math.Clamp((top - p.Z) / 120, 0, 1) * 20 + 4;
            double cx = s.BodyRadiusX + 4 + r, cy = s.BodyY + 2;
            double dx = Math.Abs(p.X) - cx, dy = p.Y - cy;
            return dx * dx + dy * dy <= r * r ? Tissue.Muscle : Tissue.Air;
        });
    }

    private static void PaintOrgans(PatientAnatomy a, PatientLabels labels)
    {
        var noise = a.ShapeNoise;
        // The spleen is a crescent: its medial (visceral) face is hollowed by the stomach and kidney.
        var spleen = a.Spleen;
        var hilum = new Ellipsoid(spleen.Centre + spleen.ToLocal.Transpose() * new Vec3(1.05 * spleen.Radii.X, 0, 0),
            new Vec3(0.65 * spleen.Radii.X, 0.7 * spleen.Radii.Y, 0.8 * spleen.Radii.Z), spleen.ToLocal);
        labels.Paint(spleen.BoxMin, spleen.BoxMax, Free, (p, _) =>
            spleen.Level(p) + 0.12 * noise.Sample(p) <= 1 && hilum.Level(p) > 1 ? Tissue.Spleen : Tissue.Air);

        PaintKidney(labels, a.KidneyRight, side: 1);
        PaintKidney(labels, a.KidneyLeft, side: -1);

        var stomach = a.Stomach;
        double air = a.StomachAirLevelY;
        double wallLevel = Math.Pow(1 - 5 / stomach.MinRadius, 2);
        labels.Paint(stomach.BoxMin, stomach.BoxMax, Free, (p, _) =>
        {
            double level = stomach.Level(p) + 0.15 * noise.Sample(p.X + 500, p.Y, p.Z);
            if (level > 1)
            {
                return Tissue.Air;
            }

            return level > wallLevel ? Tissue.GutWall : p.Y > air ? Tissue.BowelGas : Tissue.GastricContent;
        });

        if (a.Gallbladder is { } gb)
        {
            double gbWall = Math.Pow(1 - 1.5 / gb.MinRadius, 2);
            labels.Paint(gb.BoxMin, gb.BoxMax, Free, (p, _) =>
            {
                double level = gb.Level(p);
                return level > 1 ? Tissue.Air : level > gbWall ? Tissue.GutWall : Tissue.Gallbladder;
            });
        }

        foreach (var tube in a.Pancreas)
        {
            labels.Paint(Min(tube), Max(tube), Free, (p, _) =>
                tube.Sdf(p) + 2.5 * noise.Sample(p.X * 4, p.Y * 4, p.Z * 4) <= 0 ? Tissue.Pancreas : Tissue.Air);
        }
    }

    /// <summary>Cortex (outer rim and columns), medullary pyramids, renal sinus fat and pelvis at the medial hilum.</summary>
    private static void PaintKidney(PatientLabels labels, Ellipsoid kidney, int side)
    {
        labels.Paint(kidney.BoxMin, kidney.BoxMax, Free, (p, _) =>
        {
            double level = kidney.Level(p);
            if (level > 1)
            {
                return Tissue.Air;
            }

            var q = kidney.ToLocal * (p - kidney.Centre);
            double ux = q.X / kidney.Radii.X, uy = q.Y / kidney.Radii.Y, uz = q.Z / kidney.Radii.Z;
            double sx = (ux + side * 0.55) / 0.5, sy = uy / 0.45, sz = uz / 0.6;
            double sinus = sx * sx + sy * sy + sz * sz;
            if (sinus <= 1)
            {
                return sinus <= 0.35 ? Tissue.RenalPelvis : Tissue.RenalSinus;
            }

            double r = Math.Sqrt(level);
            if (r > 0.78)
            {
                return Tissue.KidneyCortex;
            }

            double lobes = Math.Cos(7 * Math.Atan2(uz, uy));
            return r > 0.42 && lobes > -0.35 ? Tissue.KidneyMedulla : Tissue.KidneyCortex;
        });
    }

    /// <summary>The liver fills free abdominal fat inside its envelope and marks the liver mask.</summary>
    private static void PaintLiver(PatientAnatomy a, PatientLabels labels)
    {
        var shape = a.Liver;
        var mask = labels.Liver;
        labels.Paint(shape.BoxMin, shape.BoxMax, Free, (p, v) =>
        {
            if (shape.SdfWithinCavity(p) > 0)
            {
                return Tissue.Air;
            }

            mask[v] = 1;
            return Tissue.Liver;
        });
    }

    /// <summary>Bowel: wall and content; faeces get gas bubbles where the texture field peaks.</summary>
    private static void PaintBowel(PatientAnatomy a, PatientLabels labels, sbyte[] texture)
    {
        foreach (var segment in a.Bowel)
        {
            var tube = segment.Tube;
            double wall = segment.Wall;
            var content = segment.Content;
            labels.Paint(Min(tube), Max(tube), Free, (p, v) =>
            {
                double sdf = tube.Sdf(p);
                if (sdf > 0)
                {
                    return Tissue.Air;
                }

                if (sdf > -wall || content == BowelContent.Collapsed)
                {
                    return Tissue.GutWall;
                }

                return content switch
                {
                    BowelContent.Gas => Tissue.BowelGas,
                    BowelContent.Faeces => texture[v] > 45 ? Tissue.BowelGas : Tissue.Faeces,
                    _ => Tissue.BowelFluid,
                };
            });
        }
    }

    private static void PaintTube(PatientLabels labels, Tube tube, TissueSet over, Tissue tissue)
    {
        // Vessels thinner than a voxel would vanish between sample points; keep them one voxel wide.
        double minRadius = 0.5 * labels.Grid.Spacing.X;
        var t = tube with { RadiusA = Math.Max(tube.RadiusA, minRadius), RadiusB = Math.Max(tube.RadiusB, minRadius) };
        labels.Paint(Min(t), Max(t), over, (p, _) => t.Sdf(p) <= 0 ? tissue : Tissue.Air);
    }

    /// <summary>Band-limited texture (about 4 mm grain) shared by every phase; stored as sbyte.</summary>
    private static sbyte[] FillTexture(PatientLabels labels, SynthRandom rng)
    {
        var g = labels.Grid;
        var min = g.PatientOrigin;
        var max = g.PatientPosition(g.Size.X, g.Size.Y, g.Size.Z);
        var field = new LatticeNoise(rng, min, max, 4.5);
        var texture = labels.Texture;
        var row = new float[g.Size.X];
        for (int k = 0; k < g.Size.Z; k++)
        {
            for (int j = 0; j < g.Size.Y; j++)
            {
                var p0 = g.PatientPosition(0, j, k);
                field.SampleRow(p0.X, g.Spacing.X, p0.Y, p0.Z, row, PatientLabels.TextureUnit);
                var target = texture.AsSpan(labels.Index(0, j, k), g.Size.X);
                for (int i = 0; i < row.Length; i++)
                {
                    target[i] = (sbyte)Math.Clamp(MathF.Round(row[i]), -127f, 127f);
                }
            }
        }

        return texture;
    }

    private static Vec3 Min(Tube t) => new(
        Math.Min(t.A.X, t.B.X) - t.MaxRadius - 3, Math.Min(t.A.Y, t.B.Y) - t.MaxRadius - 3, Math.Min(t.A.Z, t.B.Z) - t.MaxRadius - 3);

    private static Vec3 Max(Tube t) => new(
        Math.Max(t.A.X, t.B.X) + t.MaxRadius + 3, Math.Max(t.A.Y, t.B.Y) + t.MaxRadius + 3, Math.Max(t.A.Z, t.B.Z) + t.MaxRadius + 3);
}
