# Regenerates the .npz fixtures of NpzFileTest with real NumPy (python3 make_fixtures.py).
import numpy as np

conv = (np.arange(2 * 3 * 2 * 2, dtype=np.float32) - 11.5) / 4  # [out, in, kh, kw]
arrays = {
    "conv.weight": conv.reshape(2, 3, 2, 2),
    "fc.weight": np.arange(6, dtype=np.float64).reshape(2, 3) / 8,  # float64 source
    "bn.num_batches_tracked": np.array(12345, dtype=np.int64),  # 0-d int64, as PyTorch writes it
    "fortran": np.asfortranarray(np.arange(6, dtype=np.float32).reshape(2, 3)),
    "big_endian": np.arange(4, dtype=">f4"),
    "int32": np.array([-3, 0, 7], dtype=np.int32),
}
np.savez("numpy-savez.npz", **arrays)
np.savez_compressed("numpy-savez-compressed.npz", **arrays)
np.savez("complex.npz", ok=np.zeros(2, dtype=np.float32), z=np.zeros(3, dtype=np.complex64))

# float16 (model.half() exports): special values in both byte orders. NpzFileTest also checks every half bit
# pattern against numpy's conversion via this sum: every.astype(np.float32).view(np.uint32).sum(dtype=np.uint64)
special = np.array([0.0, -0.0, 2.0**-24, -(2.0**-24), 1023 * 2.0**-24, 2.0**-14, 65504, -65504, np.inf, -np.inf,
                    np.nan, 1.0, -2.0, 1 / 3, 0.1], dtype="<f2")
every = np.arange(65536, dtype=np.uint16).view("<f2")
np.savez("float16.npz", special=special, special_big_endian=special.astype(">f2"))
print("sum of float32 bit patterns of every half:", every.astype(np.float32).view(np.uint32).sum(dtype=np.uint64))
