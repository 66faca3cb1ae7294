using System.Runtime.CompilerServices;

// The benchmarks time internal kernels (VectorKernels.SquaredL2) against scalar loops without making them
// public API. Declared here, beside the kernels it exists for, rather than in the shared project file.
[assembly: InternalsVisibleTo("Piramid.Benchmarks")]
