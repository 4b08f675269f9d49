#!/usr/bin/python3
"""Writes the small NIfTI fixtures under tests/Crlm.Core.Tests/Fixtures/nifti and nibabel's reading of each.

Run once with Debian 12's Python stack (/usr/bin/python3, python3-nibabel 5.0.0, numpy 1.24):
    /usr/bin/python3 tests/reference/make_nifti_fixtures.py
CI never regenerates them; the C# tests compare our reader with nibabel_readings.json.

Each fixture exercises one reader path nibabel handles and a naive reader gets wrong: big-endian, NIfTI-2,
qform-only with a rotation and qfac = -1, scl_slope/scl_inter, the uint16/int8/float64 datatypes, a header
extension (vox_offset > 352), no transform at all (nibabel's pixdim fallback) and a 4D file with dim4 = 1.
"""
import gzip
import json
import os
import struct
import sys

import nibabel as nib
import numpy as np

assert nib.__version__ == "5.0.0", f"fixtures were made with nibabel 5.0.0, this is {nib.__version__}"
assert np.__version__.startswith("1.24"), f"fixtures were made with numpy 1.24, this is {np.__version__}"

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Crlm.Core.Tests", "Fixtures", "nifti")
rng = np.random.default_rng(20240611)
SHAPE = (7, 6, 5)


def rotation(ax, ay, az):
    """Rotation about x, then y, then z (radians)."""
    cx, sx, cy, sy, cz, sz = np.cos(ax), np.sin(ax), np.cos(ay), np.sin(ay), np.cos(az), np.sin(az)
    rx = np.array([[1, 0, 0], [0, cx, -sx], [0, sx, cx]])
    ry = np.array([[cy, 0, sy], [0, 1, 0], [-sy, 0, cy]])
    rz = np.array([[cz, -sz, 0], [sz, cz, 0], [0, 0, 1]])
    return rz @ ry @ rx


def affine(rot, zooms, origin):
    a = np.eye(4)
    a[:3, :3] = rot @ np.diag(zooms)
    a[:3, 3] = origin
    return a


def save(img, name):
    path = os.path.join(OUT, name)
    if name.endswith(".gz"):
        # nibabel stamps the gzip header with the time; write it ourselves so reruns give identical bytes.
        raw = path[:-3]
        nib.save(img, raw)
        with open(raw, "rb") as f:
            data = f.read()
        os.remove(raw)
        with open(path, "wb") as f:
            f.write(gzip.compress(data, compresslevel=9, mtime=0))
    else:
        nib.save(img, path)
    return path


fixtures = []

# 1. Big-endian int16 with sform and qform (nibabel keeps the header's byte order on save).
data = rng.integers(-1200, 2000, SHAPE, dtype=np.int16)
hdr = nib.Nifti1Header(endianness=">")
hdr.set_data_dtype(np.int16)
img = nib.Nifti1Image(data, affine(rotation(0.1, -0.2, 0.3), (0.8, 0.9, 2.5), (-90.5, 12.25, 40.0)), hdr)
img.set_qform(img.affine, code=1)
img.set_sform(img.affine, code=1)
fixtures.append(save(img, "be_int16.nii"))

# 2. NIfTI-2, float32, gzip.
data = rng.normal(0, 100, SHAPE).astype(np.float32)
img = nib.Nifti2Image(data, affine(np.eye(3), (1.5, 1.5, 3.0), (10.0, -20.0, 30.0)))
img.set_qform(img.affine, code=1)
img.set_sform(img.affine, code=2)
fixtures.append(save(img, "nifti2_float32.nii.gz"))

# 3. qform only: rotation plus a reflection (det < 0, stored as qfac = -1), sform_code 0.
data = rng.integers(0, 30000, SHAPE, dtype=np.int16)
flip = np.diag([1.0, 1.0, -1.0])
qaff = affine(rotation(0.4, 0.25, -0.6) @ flip, (1.1, 0.7, 3.3), (55.0, -33.5, 12.75))
img = nib.Nifti1Image(data, None)
img.set_qform(qaff, code=1)
img.set_sform(None, code=0)
assert img.header["pixdim"][0] == -1, "expected qfac -1"
assert int(img.header["qform_code"]) == 1 and int(img.header["sform_code"]) == 0
fixtures.append(save(img, "qform_only_qfac_neg.nii"))

# 4. int16 stored with a float scl_slope/scl_inter (values read back as float).
data = rng.integers(-500, 500, SHAPE, dtype=np.int16)
img = nib.Nifti1Image(data, affine(np.eye(3), (2.0, 2.0, 2.0), (0.0, 0.0, 0.0)))
img.header.set_slope_inter(0.37, -12.5)
fixtures.append(save(img, "scaled_int16.nii.gz"))

# 5-7. uint16, int8, float64.
img = nib.Nifti1Image(rng.integers(0, 65535, SHAPE, dtype=np.uint16),
                      affine(rotation(0, 0, np.pi / 2), (0.5, 0.5, 1.25), (1.0, 2.0, 3.0)))
fixtures.append(save(img, "uint16.nii"))
img = nib.Nifti1Image(rng.integers(-128, 127, SHAPE, dtype=np.int8),
                      affine(np.diag([-1.0, 1.0, 1.0]), (3.0, 3.0, 3.0), (100.0, -50.0, 0.0)))
fixtures.append(save(img, "int8.nii.gz"))
img = nib.Nifti1Image(rng.normal(5, 3, SHAPE).astype(np.float64),
                      affine(np.eye(3), (0.9765625, 0.9765625, 2.0), (-250.0, -250.0, -800.5)))
fixtures.append(save(img, "float64.nii"))

# 8. uint8 label map with a comment extension (ecode 6): vox_offset > 352.
img = nib.Nifti1Image(rng.integers(0, 4, SHAPE, dtype=np.uint8), affine(np.eye(3), (1, 1, 1), (0, 0, 0)))
# 40 bytes of content + 8 = 48, a multiple of 16: no NUL padding, so nibabel's size equals the stored esize.
img.header.extensions.append(nib.nifti1.Nifti1Extension(6, b"Crlm test fixture: labels 0..3".ljust(40, b".")))
fixtures.append(save(img, "ext_uint8.nii"))

# 9. No transform at all (qform_code = sform_code = 0): nibabel falls back to the pixdim diagonal.
img = nib.Nifti1Image(rng.integers(0, 1000, SHAPE, dtype=np.int32), affine(np.eye(3), (1.2, 0.8, 4.0), (0, 0, 0)))
img.set_qform(None, code=0)
img.set_sform(None, code=0)
fixtures.append(save(img, "no_xform_int32.nii"))

# 10. 4D file whose fourth dimension is 1; big-endian float32 with an extension.
data = rng.normal(0, 1, SHAPE + (1,)).astype(np.float32)
hdr = nib.Nifti1Header(endianness=">")
img = nib.Nifti1Image(data, affine(rotation(0, 0.3, 0), (2.0, 2.0, 2.0), (5.0, 6.0, 7.0)), hdr)
img.header.extensions.append(nib.nifti1.Nifti1Extension(4, b"afni-ish payload" * 3))
fixtures.append(save(img, "be_4d_singleton_float32.nii"))

def raw_esizes(path, hdr):
    """The esize fields as stored (nibabel reports sizes recomputed after stripping trailing NULs)."""
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        raw = f.read(int(hdr["vox_offset"]))
    fmt = (">" if hdr.endianness == ">" else "<") + "i"
    at = 544 if isinstance(hdr, nib.Nifti2Header) else 352
    sizes = []
    for _ in hdr.extensions:
        sizes.append(struct.unpack_from(fmt, raw, at)[0])
        at += sizes[-1]
    return sizes


readings = {"generated_with": {"nibabel": nib.__version__, "numpy": np.__version__,
                               "python": sys.version.split()[0]},
            "note": "values are nibabel's get_fdata() (scaled, float64); linear index is i-fastest (Fortran order); "
                    "weighted_sum = sum(value * (linear_index % 97 + 1))",
            "files": []}
for path in fixtures:
    img = nib.load(path)
    hdr = img.header
    values = img.get_fdata().reshape(-1, order="F")
    weights = np.arange(values.size) % 97 + 1
    samples = []
    for lin in (0, 1, values.size // 3, values.size // 2, values.size - 1):
        ijk = np.unravel_index(lin, img.shape[:3], order="F")
        samples.append({"index": [int(x) for x in ijk], "value": float(values[lin])})
    # A loaded header has its scaling moved into the data proxy, so ask the proxy.
    slope, inter = float(img.dataobj.slope), float(img.dataobj.inter)
    with (gzip.open(path) if path.endswith(".gz") else open(path, "rb")) as f:
        raw_hdr = type(hdr).from_fileobj(f)
    esizes = raw_esizes(path, raw_hdr)
    assert esizes == [e.get_sizeondisk() for e in hdr.extensions], (path, esizes)
    readings["files"].append({
        "file": os.path.basename(path),
        "version": 2 if isinstance(hdr, nib.Nifti2Header) else 1,
        "big_endian": hdr.endianness == ">",
        "shape": [int(x) for x in img.shape],
        "dtype": str(hdr.get_data_dtype().newbyteorder("=")),
        "affine": img.affine.tolist(),
        "qform_code": int(hdr["qform_code"]),
        "sform_code": int(hdr["sform_code"]),
        "vox_offset": int(img.dataobj.offset),
        "extensions": [{"ecode": int(e.get_code()), "esize": int(size)} for e, size in zip(hdr.extensions, esizes)],
        "slope": slope,
        "inter": inter,
        "min": float(values.min()), "max": float(values.max()), "mean": float(values.mean()),
        "weighted_sum": float((values * weights).sum()),
        "samples": samples,
    })

with open(os.path.join(OUT, "nibabel_readings.json"), "w") as f:
    json.dump(readings, f, indent=1)
    f.write("\n")
print(f"wrote {len(fixtures)} fixtures and nibabel_readings.json to {os.path.normpath(OUT)}")
