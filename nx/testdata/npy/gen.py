# Writes the .npy fixtures that npy_test.go reads, with NumPy as the second source.
# Run with Debian's python3-numpy from this folder: /usr/bin/python3 gen.py
import numpy as np

np.save('f32_2x3.npy', np.arange(6, dtype=np.float32).reshape(2, 3) * 0.5)
np.save('s64_scalar.npy', np.array(-7, dtype=np.int64))
np.save('u8_empty.npy', np.zeros((0, 4), dtype=np.uint8))
np.save('bool_3.npy', np.array([True, False, True]))
np.save('f64_be_fortran.npy', np.asfortranarray(np.arange(6, dtype='>f8').reshape(2, 3)))
np.save('c64_2.npy', np.array([1 + 2j, -3.5 - 0.25j], dtype=np.complex64))
np.save('f16_3.npy', np.array([1.5, -2, 65504], dtype=np.float16))
