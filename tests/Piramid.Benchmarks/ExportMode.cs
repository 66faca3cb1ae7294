using System.Diagnostics;
using System.IO.Compression;
using System.Net.Http.Headers;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using Piramid.TestKit.Processes;

namespace Piramid.Benchmarks;

/// <summary>
/// Export and import throughput of a real engine process (docs/design/export-format.md): imports <c>--points</c>
/// seeded random <c>--dimension</c>-d points as base64 NDJSON (one streamed request, batches of 1,000 through the
/// idempotent write path, durability <c>batch</c>), then exports them as gzip NDJSON, and prints points/s and MB/s of
/// each (MB of NDJSON lines; the export also gives the gzip size).
/// </summary>
internal sealed class ExportMode : IBenchmarkMode
{
    public string Name => "export";

    public string Usage => "[--points 100000] [--dimension 256]";

    public int Run(BenchmarkArgs args)
    {
        var points = args.GetInt("points", 100_000, min: 1);
        var dimension = args.GetInt("dimension", 256, min: 1);
        args.ThrowIfUnused();
        return RunAsync(points, dimension).GetAwaiter().GetResult();
    }

    private static async Task<int> RunAsync(int points, int dimension)
    {
        var directory = EngineBench.TempDirectory("export");
        try
        {
            await using var engine = await EngineProcess.StartAsync(new EngineProcessOptions
            {
                DataDirectory = Path.Combine(directory, "data"),
                PlatformKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
                EngineSecret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            });
            using var http = engine.CreateClient(role: "platform_admin", principal: "control-plane");
            http.Timeout = Timeout.InfiniteTimeSpan;
            using (var create = new StringContent($"{{\"dimension\":{dimension},\"index\":{{\"type\":\"flat\"}}}}", Encoding.UTF8, "application/json"))
            {
                (await http.PutAsync(new Uri("/v1/collections/bench", UriKind.Relative), create)).EnsureSuccessStatusCode();
            }

            var lines = new CountingLines(points, dimension);
            var import = Stopwatch.StartNew();
            using (var body = new StreamContent(lines))
            {
                body.Headers.ContentType = new MediaTypeHeaderValue("application/x-ndjson");
                (await http.PostAsync(new Uri("/internal/v1/collections/bench/import?import_id=bench", UriKind.Relative), body)).EnsureSuccessStatusCode();
            }

            var importSeconds = import.Elapsed.TotalSeconds;
            Console.WriteLine($"import: {points} x {dimension}-d in {importSeconds:F2} s: {points / importSeconds:F0} points/s, " +
                $"{lines.Bytes / 1e6 / importSeconds:F1} MB/s of NDJSON ({lines.Bytes / 1e6:F1} MB)");

            var export = Stopwatch.StartNew();
            using var response = await http.GetAsync(new Uri("/internal/v1/collections/bench/export", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead);
            response.EnsureSuccessStatusCode();
            var counted = new CountingStream(await response.Content.ReadAsStreamAsync());
            long plain = 0, exported = 0;
            await using (var gzip = new GZipStream(counted, CompressionMode.Decompress))
            {
                var buffer = new byte[1 << 20];
                int read;
                while ((read = await gzip.ReadAsync(buffer)) > 0)
                {
                    plain += read;
                    exported += buffer.AsSpan(0, read).Count((byte)'\n');
                }
            }

            var exportSeconds = export.Elapsed.TotalSeconds;
            if (exported != points)
            {
                throw new InvalidOperationException($"exported {exported} points, expected {points}");
            }

            Console.WriteLine($"export: {points} x {dimension}-d in {exportSeconds:F2} s: {points / exportSeconds:F0} points/s, " +
                $"{plain / 1e6 / exportSeconds:F1} MB/s of NDJSON ({plain / 1e6:F1} MB, {counted.Bytes / 1e6:F1} MB gzip)");
            return 0;
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    // Seeded base64 lines produced as they are read, so the benchmark holds no file.
    private sealed class CountingLines(int points, int dimension) : Stream
    {
        private readonly Random _random = new(1);
        private readonly float[] _vector = new float[dimension];
        private byte[] _pending = [];
        private int _offset;
        private int _next;

        public long Bytes { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => Bytes; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (_offset == _pending.Length)
            {
                if (_next == points)
                {
                    return 0;
                }

                for (var d = 0; d < _vector.Length; d++)
                {
                    _vector[d] = (float)(_random.NextDouble() * 2 - 1);
                }

                _pending = Encoding.UTF8.GetBytes(
                    $"{{\"id\":\"p{_next:D7}\",\"vector\":\"{Convert.ToBase64String(MemoryMarshal.AsBytes(_vector.AsSpan()))}\",\"metadata\":{{\"n\":{_next}}}}}\n");
                _offset = 0;
                _next++;
            }

            var n = Math.Min(count, _pending.Length - _offset);
            _pending.AsSpan(_offset, n).CopyTo(buffer.AsSpan(offset));
            _offset += n;
            Bytes += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    private sealed class CountingStream(Stream inner) : Stream
    {
        public long Bytes { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => Bytes; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var read = inner.Read(buffer, offset, count);
            Bytes += read;
            return read;
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var read = await inner.ReadAsync(buffer, cancellationToken);
            Bytes += read;
            return read;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
