#!/usr/bin/python3
"""Writes the preprocessing fixtures under tests/Crlm.Core.Tests/Fixtures/preprocess: small synthetic scans (written
here with nibabel), the peer's outputs on them, and the peer's readings of the real TotalSegmentator sample.

Run once with Debian 12's Python stack (/usr/bin/python3: python3-nibabel 5.0.0, numpy 1.24, scipy 1.10.1,
python3-torch 1.13), from the repository root, with ../shared next to it:
    /usr/bin/python3 tests/reference/make_preprocess_fixtures.py
CI never regenerates them. The C# tests (tests/Crlm.Core.Tests/Preprocessing/PreprocessPeerTests.cs) run our
preprocessing on the same inputs and compare with what is recorded here.

The peer is ../shared/peers/preprocess.py, run as a subprocess exactly as a user would, with both backends.

Synthetic cases (inputs committed, each a few KB):
  aniso_ras        int16, RAS, anisotropic 1.6 x 1.4 x 5 mm, LiTS-like mask (1 liver, 2 tumour: both count)
  flipx_revz       the same voxels stored with x flipped and the slices reversed (LAI): same output as aniso_ras
  permuted         the same voxels stored as float32 with axes permuted (z, y, -x): same output as aniso_ras
  rotated_scaled   int16 with scl_slope 0.5 / scl_inter -1024, an oblique affine (12 deg about z, 5 about x),
                   liver at the edge so the box is padded; minmax normalisation, window -100..200
  tie_exact        2 x 2 x 5 mm to 1 x 1 x 2.5 mm on the exact grid: every other output voxel is an exact
                   half-voxel tie for the nearest-neighbour mask
  liver_exceeds    aniso_ras with a box smaller than the liver (crop centred on the liver), no normalisation
For each: both backends' JSON lines (timings removed) and the scipy outputs (image, mask) as .nii.gz.

Real cases (inputs stay in ../shared/data/real, not copied): example_ct_sm with its liver-only mask
(example_seg_roi_subset) on the zoom grid with defaults and on the exact grid; and example_ct_sm with
example_seg == 5 (TotalSegmentator's liver label; the peer needs a 0/1 mask, written to a temp file). For each:
both JSON lines and 256 sampled output voxels (half inside the liver).
"""
import gzip
import json
import os
import shutil
import struct
import subprocess
import sys
import tempfile

import nibabel as nib
import numpy as np
import scipy
import torch

assert nib.__version__ == "5.0.0", f"fixtures were made with nibabel 5.0.0, this is {nib.__version__}"
assert np.__version__.startswith("1.24"), f"fixtures were made with numpy 1.24, this is {np.__version__}"
assert scipy.__version__ == "1.10.1", f"fixtures were made with scipy 1.10.1, this is {scipy.__version__}"
assert torch.__version__.startswith("1.13"), f"fixtures were made with torch 1.13, this is {torch.__version__}"

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", ".."))
OUT = os.path.join(REPO, "tests", "Crlm.Core.Tests", "Fixtures", "preprocess")
PEER = os.path.abspath(os.path.join(REPO, "..", "shared", "peers", "preprocess.py"))
REAL = os.path.abspath(os.path.join(REPO, "..", "shared", "data", "real", "totalsegmentator"))
TIMING_KEYS = ("time_s", "time_s_first", "time_s_min", "repeat", "torch_threads")

rng = np.random.default_rng(20240704)


def save(img, name, slope_inter=None):
    """nib.save, then gzip without a timestamp so reruns give identical bytes.

    slope_inter is written into the stored header bytes (scl_slope at byte 112, scl_inter at 116) after nibabel
    has saved the already-integer data unscaled: nibabel would otherwise choose its own scaling on save.
    """
    path = os.path.join(OUT, name)
    raw = path[:-3]
    nib.save(img, raw)
    with open(raw, "rb") as f:
        data = bytearray(f.read())
    os.remove(raw)
    if slope_inter is not None:
        data[112:120] = struct.pack("<ff", *slope_inter)
    with open(path, "wb") as f:
        f.write(gzip.compress(data, compresslevel=9, mtime=0))
    return name


def affine(rot, zooms, origin):
    a = np.eye(4)
    a[:3, :3] = rot @ np.diag(zooms)
    a[:3, 3] = origin
    return a


def rotation(ax, az):
    cx, sx, cz, sz = np.cos(ax), np.sin(ax), np.cos(az), np.sin(az)
    rx = np.array([[1, 0, 0], [0, cx, -sx], [0, sx, cx]])
    rz = np.array([[cz, -sz, 0], [sz, cz, 0], [0, 0, 1]])
    return rz @ rx


def phantom(shape, aff, liver_centre, liver_radii, noise_sd=8.0):
    """HU image, LiTS-like liver mask (1 liver, 2 tumour) and lesion instance mask, evaluated in world mm."""
    idx = np.indices(shape).reshape(3, -1).astype(np.float64)
    world = (aff[:3, :3] @ idx + aff[:3, 3:4]).reshape((3,) + tuple(shape))
    x, y, z = world
    body = (x / 28.0) ** 2 + (y / 19.0) ** 2 <= 1.0
    cx, cy, cz = liver_centre
    rx, ry, rz = liver_radii
    liver = ((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2 + ((z - cz) / rz) ** 2 <= 1.0
    lesion1 = (x - cx + 3) ** 2 + (y - cy) ** 2 + (z - cz - 4) ** 2 <= 4.5 ** 2
    lesion2 = (x - cx - 4) ** 2 + (y - cy - 2) ** 2 + (z - cz + 7) ** 2 <= 3.5 ** 2
    hu = np.where(body, 40.0, -1000.0)
    hu = np.where(liver, 100.0 + 0.8 * (x - cx), hu)
    hu = np.where(liver & lesion1, 55.0, hu)
    hu = np.where(liver & lesion2, 70.0, hu)
    hu = hu + rng.normal(0.0, noise_sd, shape)
    mask = np.where(liver, 1, 0) + np.where(liver & (lesion1 | lesion2), 1, 0)
    lesions = np.where(liver & lesion1, 1, 0) + np.where(liver & lesion2, 2, 0)
    return hu, mask.astype(np.uint8), lesions.astype(np.uint8)


def image(data, aff, dtype):
    img = nib.Nifti1Image(data, aff)
    img.set_data_dtype(dtype)
    img.header.set_xyzt_units("mm", "sec")
    return img


def stored_view(arr, aff, flips=(), perm=(0, 1, 2)):
    """The same voxels stored differently: flip canonical axes, then store canonical axis perm[s] as stored axis s."""
    a = arr
    m = np.eye(4)
    for ax in flips:
        a = np.flip(a, axis=ax)
        f = np.eye(4)
        f[ax, ax] = -1
        f[ax, 3] = arr.shape[ax] - 1
        m = m @ f
    a = np.ascontiguousarray(np.transpose(a, perm))
    p = np.zeros((4, 4))
    p[3, 3] = 1
    for s, c in enumerate(perm):
        p[c, s] = 1
    return a, aff @ m @ p


def run_peer(image_path, mask_path, args, backend, workdir):
    out = os.path.join(workdir, f"out_{backend}.nii.gz")
    out_mask = os.path.join(workdir, f"mask_{backend}.nii.gz")
    cmd = [sys.executable, PEER, image_path, mask_path, out, "--out-mask", out_mask, "--backend", backend, *args]
    if backend == "torch":
        cmd += ["--threads", "2"]
    res = subprocess.run(cmd, check=True, capture_output=True, text=True)
    report = json.loads(res.stdout)
    for k in TIMING_KEYS:
        report.pop(k, None)
    return report, nib.load(out), nib.load(out_mask)


def peer_both(image_path, mask_path, args, workdir):
    results = {}
    outputs = {}
    for backend in ("scipy", "torch"):
        report, out, out_mask = run_peer(image_path, mask_path, args, backend, workdir)
        results[backend] = report
        outputs[backend] = (np.asanyarray(out.dataobj).copy(), np.asanyarray(out_mask.dataobj).copy(), out.affine.copy())
    return results, outputs


def main():
    if os.path.isdir(OUT):
        shutil.rmtree(OUT)
    os.makedirs(OUT)
    work = tempfile.mkdtemp(prefix="crlm-preprocess-fixtures-")
    cases = []

    # --- the base scan and its re-stored twins -------------------------------------------------------------
    shape = (40, 32, 14)
    base_aff = affine(np.eye(3), (1.6, 1.4, 5.0), (-32.0, -22.0, -35.0))
    hu, mask, lesions = phantom(shape, base_aff, (-8.0, 2.0, -2.0), (13.0, 9.0, 20.0))
    hu16 = np.round(hu).astype(np.int16)
    base_args = ["--spacing", "2", "2", "2.5", "--box", "20", "16", "20"]
    variants = [
        ("aniso_ras", (), (0, 1, 2), np.int16),
        ("flipx_revz", (0, 2), (0, 1, 2), np.int16),
        ("permuted", (0,), (2, 1, 0), np.float32),
    ]
    for name, flips, perm, dtype in variants:
        img_arr, aff = stored_view(hu16, base_aff, flips, perm)
        msk_arr, _ = stored_view(mask, base_aff, flips, perm)
        les_arr, _ = stored_view(lesions, base_aff, flips, perm)
        files = {
            "image": save(image(img_arr.astype(dtype), aff, dtype), f"{name}_image.nii.gz"),
            "liver_mask": save(image(msk_arr, aff, np.uint8), f"{name}_liver.nii.gz"),
            "lesion_mask": save(image(les_arr, aff, np.uint8), f"{name}_lesion.nii.gz"),
        }
        cases.append({"name": name, "files": files, "args": base_args, "axcodes": "".join(nib.aff2axcodes(aff))})

    cases.append({"name": "liver_exceeds", "files": dict(cases[0]["files"]),
                  "args": ["--spacing", "2", "2", "2.5", "--box", "8", "6", "6", "--norm", "none", "--pad-hu", "-1000"],
                  "axcodes": "RAS"})

    # --- oblique, scaled int16, liver at the edge (the box is padded) -----------------------------------------
    shape = (36, 30, 16)
    aff = affine(rotation(np.deg2rad(5), np.deg2rad(12)), (1.2, 1.2, 3.0), (-20.0, -18.0, -24.0))
    hu, mask, lesions = phantom(shape, aff, (8.0, 6.0, 0.0), (12.0, 9.0, 14.0))
    stored = np.round((hu + 1024.0) / 0.5).astype(np.int16)
    files = {
        "image": save(image(stored, aff, np.int16), "rotated_scaled_image.nii.gz", slope_inter=(0.5, -1024.0)),
        "liver_mask": save(image(mask, aff, np.uint8), "rotated_scaled_liver.nii.gz"),
        "lesion_mask": save(image(lesions, aff, np.uint8), "rotated_scaled_lesion.nii.gz"),
    }
    cases.append({"name": "rotated_scaled", "files": files,
                  "args": ["--spacing", "1.5", "1.5", "3", "--box", "24", "24", "12", "--window", "-100", "200", "--norm", "minmax"],
                  "axcodes": "".join(nib.aff2axcodes(aff))})

    # --- exact half-voxel ties ------------------------------------------------------------------------------
    shape = (24, 20, 10)
    aff = affine(np.eye(3), (2.0, 2.0, 5.0), (-24.0, -20.0, -25.0))
    hu, mask, lesions = phantom(shape, aff, (-3.0, 1.0, 0.0), (10.0, 8.0, 12.0))
    files = {
        "image": save(image(np.round(hu).astype(np.int16), aff, np.int16), "tie_exact_image.nii.gz"),
        "liver_mask": save(image(mask, aff, np.uint8), "tie_exact_liver.nii.gz"),
        "lesion_mask": save(image(lesions, aff, np.uint8), "tie_exact_lesion.nii.gz"),
    }
    cases.append({"name": "tie_exact", "files": files,
                  "args": ["--resample", "exact", "--spacing", "1", "1", "2.5", "--box", "32", "28", "16"],
                  "axcodes": "RAS"})

    # --- run the peer on every synthetic case -----------------------------------------------------------------
    reference_outputs = {}
    for case in cases:
        wd = tempfile.mkdtemp(dir=work)
        img_path = os.path.join(OUT, case["files"]["image"])
        msk_path = os.path.join(OUT, case["files"]["liver_mask"])
        case["peer"], outputs = peer_both(img_path, msk_path, case["args"], wd)
        out, out_mask, out_aff = outputs["scipy"]
        if case["name"] in ("flipx_revz", "permuted"):
            # Same voxels, stored differently: the peer's canonical outputs must be identical to the base case's.
            base_out, base_mask, base_aff_out = reference_outputs["aniso_ras"]
            assert np.array_equal(out, base_out) and np.array_equal(out_mask, base_mask), case["name"]
            assert np.allclose(out_aff, base_aff_out, atol=1e-9), case["name"]
            case["expected"] = cases[0]["expected"]
        else:
            o = nib.Nifti1Image(out, out_aff)
            o.header.set_xyzt_units("mm", "sec")
            m = nib.Nifti1Image(out_mask, out_aff)
            m.header.set_xyzt_units("mm", "sec")
            case["expected"] = {
                "image": save(o, f"{case['name']}_peer_scipy_image.nii.gz"),
                "liver_mask": save(m, f"{case['name']}_peer_scipy_liver.nii.gz"),
            }
        reference_outputs[case["name"]] = (out, out_mask, out_aff)
        torch_out = outputs["torch"][0]
        case["scipy_vs_torch_max_abs"] = float(np.abs(out.astype(np.float64) - torch_out).max())

    # --- the real TotalSegmentator sample -------------------------------------------------------------------
    real = []
    ct = os.path.join(REAL, "example_ct_sm.nii.gz")
    roi = os.path.join(REAL, "example_seg_roi_subset.nii.gz")
    seg = os.path.join(REAL, "example_seg.nii.gz")
    seg_img = nib.load(seg)
    liver5 = os.path.join(work, "example_seg_label5.nii.gz")
    l5 = nib.Nifti1Image((np.asanyarray(seg_img.dataobj) == 5).astype(np.uint8), seg_img.affine)
    nib.save(l5, liver5)
    real_cases = [
        ("ts_zoom", "example_seg_roi_subset.nii.gz", roi, None, []),
        ("ts_exact_minmax", "example_seg_roi_subset.nii.gz", roi, None,
         ["--resample", "exact", "--box", "128", "128", "48", "--norm", "minmax"]),
        ("ts_label5", "example_seg.nii.gz", liver5, 5, []),
    ]
    for name, mask_name, mask_path, label, args in real_cases:
        wd = tempfile.mkdtemp(dir=work)
        peer, outputs = peer_both(ct, mask_path, args, wd)
        out, out_mask, _ = outputs["scipy"]
        torch_out = outputs["torch"][0]
        inside = np.argwhere(out_mask > 0)
        anywhere = np.stack([rng.integers(0, n, 128) for n in out.shape], axis=1)
        picks = np.concatenate([inside[rng.choice(len(inside), 128, replace=False)], anywhere])
        samples = [[int(i), int(j), int(k), float(out[i, j, k]), float(torch_out[i, j, k])] for i, j, k in picks]
        real.append({
            "name": name, "image": "totalsegmentator/example_ct_sm.nii.gz", "liver_mask": f"totalsegmentator/{mask_name}",
            "liver_label": label, "args": args, "peer": peer, "samples_ijk_scipy_torch": samples,
            "scipy_vs_torch_max_abs": float(np.abs(out.astype(np.float64) - torch_out).max()),
        })

    versions = {"nibabel": nib.__version__, "numpy": np.__version__, "scipy": scipy.__version__,
                "torch": torch.__version__, "python": sys.version.split()[0]}
    with open(os.path.join(OUT, "peer_cases.json"), "w") as f:
        json.dump({"generator": "tests/reference/make_preprocess_fixtures.py", "peer": "../shared/peers/preprocess.py",
                   "versions": versions, "synthetic": cases, "real": real}, f, indent=1)
        f.write("\n")
    shutil.rmtree(work)
    total = sum(os.path.getsize(os.path.join(OUT, n)) for n in os.listdir(OUT))
    print(f"wrote {len(os.listdir(OUT))} files, {total / 1024:.0f} KB, to {OUT}")


if __name__ == "__main__":
    main()
