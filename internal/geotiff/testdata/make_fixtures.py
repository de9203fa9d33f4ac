#!/usr/bin/python3
"""Makes the GeoTIFF fixtures of internal/geotiff with GDAL's Python bindings.

Run from internal/geotiff/testdata with Debian's python3-gdal and gdal-bin
installed (apt-get install python3-gdal gdal-bin):

    /usr/bin/python3 make_fixtures.py

Every sample fixture holds the pattern of fixtures_test.go: for pixel (x, y),
b = (7x + 13y) mod 200, stored per type as listed in TYPES below. The
georeferencing fixtures' expected coordinates come from gdaltransform and
are written to gdaltransform.txt.
"""
import subprocess

import numpy as np
from osgeo import gdal, osr

gdal.UseExceptions()
W, H = 37, 23

y, x = np.mgrid[0:H, 0:W]
b = (7 * x + 13 * y) % 200

# GDAL type, numpy values of band 1 (band 2 and 3, when asked, are 255-b and 2b).
TYPES = {
    "uint8": (gdal.GDT_Byte, b.astype(np.uint8)),
    "int8": (gdal.GDT_Byte, (b - 100).astype(np.int8)),
    "uint16": (gdal.GDT_UInt16, (b * 300).astype(np.uint16)),
    "int16": (gdal.GDT_Int16, ((b - 100) * 300).astype(np.int16)),
    "uint32": (gdal.GDT_UInt32, (b * 20000000).astype(np.uint32)),
    "int32": (gdal.GDT_Int32, ((b - 100) * 10000000).astype(np.int32)),
    "uint64": (gdal.GDT_UInt64, (b * 10**15).astype(np.uint64)),
    "int64": (gdal.GDT_Int64, ((b - 100) * 10**15).astype(np.int64)),
    "float32": (gdal.GDT_Float32, (b * 0.25 - 12.5).astype(np.float32)),
    "float64": (gdal.GDT_Float64, b * 0.1 - 3),
    "cint16": (gdal.GDT_CInt16, (b - 100) + 1j * (x - y)),
    "cint32": (gdal.GDT_CInt32, (b - 100) * 1000 + 1j * (x - y) * 1000),
    "cfloat32": (gdal.GDT_CFloat32, (b * 0.5) + 1j * (x - y) * 0.25),
    "cfloat64": (gdal.GDT_CFloat64, (b * 0.1) + 1j * (x - y) * 0.3),
}

# name: (type, creation options, bands)
SAMPLES = {
    "uint8_lzw": ("uint8", ["COMPRESS=LZW"], 1),
    "uint8_rgb_lzw_pred2": ("uint8", ["COMPRESS=LZW", "PREDICTOR=2", "INTERLEAVE=PIXEL"], 3),
    "int8_packbits": ("int8", ["COMPRESS=PACKBITS", "PIXELTYPE=SIGNEDBYTE"], 1),
    "uint16_lzw_pred2": ("uint16", ["COMPRESS=LZW", "PREDICTOR=2", "BLOCKYSIZE=5"], 1),
    "uint16_packbits": ("uint16", ["COMPRESS=PACKBITS", "BLOCKYSIZE=7"], 1),
    "uint16_deflate_tiled": ("uint16", ["COMPRESS=DEFLATE", "PREDICTOR=2", "TILED=YES", "BLOCKXSIZE=16", "BLOCKYSIZE=16"], 1),
    "uint16_be": ("uint16", ["ENDIANNESS=BIG", "BLOCKYSIZE=4"], 1),
    "uint16_be_lzw_pred2_tiled": ("uint16", ["ENDIANNESS=BIG", "COMPRESS=LZW", "PREDICTOR=2", "TILED=YES", "BLOCKXSIZE=16", "BLOCKYSIZE=16"], 1),
    "uint16_planar_deflate": ("uint16", ["COMPRESS=DEFLATE", "INTERLEAVE=BAND", "BLOCKYSIZE=6"], 3),
    "uint16_planar_tiled_packbits": ("uint16", ["COMPRESS=PACKBITS", "INTERLEAVE=BAND", "TILED=YES", "BLOCKXSIZE=16", "BLOCKYSIZE=16"], 3),
    "uint16_pixel_tiled_pred2": ("uint16", ["INTERLEAVE=PIXEL", "COMPRESS=DEFLATE", "PREDICTOR=2", "TILED=YES", "BLOCKXSIZE=16", "BLOCKYSIZE=16"], 3),
    "uint16_bigtiff_deflate": ("uint16", ["BIGTIFF=YES", "COMPRESS=DEFLATE", "BLOCKYSIZE=8"], 1),
    "uint16_bigtiff_be_tiled": ("uint16", ["BIGTIFF=YES", "ENDIANNESS=BIG", "TILED=YES", "BLOCKXSIZE=16", "BLOCKYSIZE=16"], 1),
    "int16_deflate": ("int16", ["COMPRESS=DEFLATE", "PREDICTOR=2"], 1),
    "uint32_lzw": ("uint32", ["COMPRESS=LZW", "PREDICTOR=2"], 1),
    "int32_packbits_tiled": ("int32", ["COMPRESS=PACKBITS", "TILED=YES", "BLOCKXSIZE=16", "BLOCKYSIZE=16"], 1),
    "uint64_be": ("uint64", ["ENDIANNESS=BIG"], 1),
    "int64_deflate_pred2": ("int64", ["COMPRESS=DEFLATE", "PREDICTOR=2"], 1),
    "float32_lzw_pred3": ("float32", ["COMPRESS=LZW", "PREDICTOR=3"], 1),
    "float32_be_deflate_pred3": ("float32", ["ENDIANNESS=BIG", "COMPRESS=DEFLATE", "PREDICTOR=3"], 1),
    "float32_pixel_pred3": ("float32", ["COMPRESS=DEFLATE", "PREDICTOR=3", "INTERLEAVE=PIXEL"], 3),
    "float64_deflate_pred3_tiled": ("float64", ["COMPRESS=DEFLATE", "PREDICTOR=3", "TILED=YES", "BLOCKXSIZE=16", "BLOCKYSIZE=16"], 1),
    "float64_be": ("float64", ["ENDIANNESS=BIG"], 1),
    "cint16": ("cint16", [], 1),
    "cint16_be_deflate": ("cint16", ["ENDIANNESS=BIG", "COMPRESS=DEFLATE"], 1),
    "cint32_tiled_deflate": ("cint32", ["COMPRESS=DEFLATE", "TILED=YES", "BLOCKXSIZE=16", "BLOCKYSIZE=16"], 1),
    "cfloat32_lzw": ("cfloat32", ["COMPRESS=LZW"], 1),
    "cfloat64_deflate": ("cfloat64", ["COMPRESS=DEFLATE"], 1),
}


def create(name, gtype, opts, w, h, bands=1):
    drv = gdal.GetDriverByName("GTiff")
    return drv.Create(name, w, h, bands, gtype, opts)


for name, (typ, opts, bands) in SAMPLES.items():
    gtype, v = TYPES[typ]
    ds = create(name + ".tif", gtype, opts, W, H, bands)
    ds.GetRasterBand(1).WriteArray(v)
    for k in range(1, bands):
        other = (255 - b) if k == 1 else 2 * b
        ds.GetRasterBand(k + 1).WriteArray(other.astype(v.dtype) if np.isrealobj(v) else other)
    ds = None

# One 96×96 LZW strip long enough to fill the code table: 12-bit codes
# and the clear codes libtiff emits then.
yy, xx = np.mgrid[0:96, 0:96]
big = ((xx * xx * 3 + yy * yy * 5 + xx * yy) >> 3) & 0xFF
ds = create("uint8_lzw_96.tif", gdal.GDT_Byte, ["COMPRESS=LZW", "BLOCKYSIZE=96"], 96, 96)
ds.GetRasterBand(1).WriteArray(big.astype(np.uint8))
ds = None

# Sparse: tiles never written are left out of the file (offset and count 0),
# and read as the no-data value.
ds = create("uint16_sparse_nodata.tif", gdal.GDT_UInt16, ["TILED=YES", "BLOCKXSIZE=16", "BLOCKYSIZE=16", "SPARSE_OK=TRUE", "COMPRESS=DEFLATE"], W, H)
ds.GetRasterBand(1).SetNoDataValue(7)
ds.GetRasterBand(1).WriteArray(TYPES["uint16"][1][:16, :16])
ds = None

# Georeferencing fixtures: 40 × 30 bytes of zeros each.
GW, GH = 40, 30


def srs(code):
    s = osr.SpatialReference()
    s.ImportFromEPSG(code)
    return s.ExportToWkt()


def geo(name, code, gt=None, gcps=None, point=False):
    ds = create(name + ".tif", gdal.GDT_Byte, [], GW, GH)
    if point:
        ds.SetMetadataItem("AREA_OR_POINT", "Point")
    if gt:
        ds.SetProjection(srs(code))
        ds.SetGeoTransform(gt)
    else:
        ds.SetGCPs([gdal.GCP(gx, gy, 0, px, py) for px, py, gx, gy in gcps], srs(code))
    ds = None


geo("geo_4326_area", 4326, gt=(10.0, 0.01, 0, 55.0, 0, -0.005))
geo("geo_4326_point", 4326, gt=(10.0, 0.01, 0, 55.0, 0, -0.005), point=True)
geo("geo_utm33n", 32633, gt=(500000, 10, 0, 6100000, 0, -10))
geo("geo_utm23s", 32723, gt=(320000, 20, 0, 7460000, 0, -20))
geo("geo_rotated", 4326, gt=(-5.0, 0.008, 0.003, 48.0, 0.002, -0.006))
geo("geo_3857", 3857, gt=(1113194.9, 100, 0, 7361866.1, 0, -100))


def truth(px, py):
    """A smooth, sheared, curved lon/lat field over the image, like a SAR
    scene's: what the GCP grid samples."""
    return (3.0 + 0.01 * px + 0.003 * py + 2e-5 * px * py,
            60.0 - 0.004 * py + 0.002 * px - 1e-5 * px * px)


grid = [(px, py, *truth(px, py)) for py in (0, 10, 20, 29) for px in (0, 13, 26, 39)]
geo("geo_gcp_grid", 4326, gcps=grid)
geo("geo_gcp_grid_point", 4326, gcps=grid, point=True)
scatter = [(px, py, *truth(px, py)) for px, py in
           [(0, 0), (39, 0), (0, 29), (39, 29), (20, 15), (5, 22), (33, 7), (12, 3), (27, 25), (17, 11), (8, 14), (30, 18)]]
geo("geo_gcp_scatter", 4326, gcps=scatter)
# GCPs in UTM 32N (easting, northing), scattered.
geo("geo_gcp_utm32n", 32632, gcps=[(px, py, 600000 + 30 * px + 4 * py, 6200000 - 30 * py + 3 * px + 0.05 * px * py) for px, py, _, _ in scatter])

# Expected coordinates from GDAL, for the test: pixel coordinates in, lon lat out.
points = [(0, 0), (0.5, 0.5), (40, 30), (17.25, 9.5), (39.5, 29.5), (3, 28)]
with open("gdaltransform.txt", "w") as out:
    out.write("# file px py lon lat, from gdaltransform -t_srs EPSG:4326 (GDAL %s); made by make_fixtures.py\n" % gdal.__version__)
    for name, extra in [("geo_4326_area", []), ("geo_4326_point", []), ("geo_utm33n", []), ("geo_utm23s", []),
                        ("geo_rotated", []), ("geo_gcp_scatter", ["-order", "2"]), ("geo_gcp_utm32n", ["-order", "2"])]:
        inp = "".join("%r %r\n" % p for p in points)
        res = subprocess.run(["gdaltransform", "-t_srs", "EPSG:4326", *extra, name + ".tif"],
                             input=inp, capture_output=True, text=True, check=True).stdout.split("\n")
        for (px, py), line in zip(points, res):
            lon, lat = line.split()[:2]
            out.write("%s %r %r %s %s\n" % (name, px, py, lon, lat))
