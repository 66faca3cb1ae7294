using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Piramid.ControlPlane.Demo;

/// <summary>
/// <c>Piramid.ControlPlane demo</c>: creates the <c>demo</c> tenant, an admin key and the <c>wordnet</c> collection
/// through the public API of a running platform, and loads the shipped WordNet subset with each synset's words
/// and gloss (from Debian's wordnet-base) as metadata. Idempotent: with a state file from an earlier run whose
/// tenant still answers, it only checks and reprints.
/// </summary>
public sealed class DemoSeeder(HttpClient gateway, string operatorClientId, string operatorClientSecret, string wordnetDirectory)
{
    /// <summary>Name of the demo tenant and of its collection.</summary>
    public const string TenantName = "demo";

    /// <summary>The collection holding the synsets.</summary>
    public const string Collection = "wordnet";

    private const int BatchSize = 500;

    private static readonly JsonSerializerOptions Json = Piramid.Contracts.Json.WireJson.Options;

    /// <summary>Runs the command: <c>--gateway-url</c>, <c>--state-file</c>, <c>--wordnet</c>; operator credentials in the environment.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        string Option(string name, string? fallback = null)
        {
            var i = Array.IndexOf(args, "--" + name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback ?? throw new ArgumentException($"--{name} is required");
        }

        var clientId = Environment.GetEnvironmentVariable("PIRAMID_OPERATOR_CLIENT_ID") ?? throw new ArgumentException("set PIRAMID_OPERATOR_CLIENT_ID");
        var secret = Environment.GetEnvironmentVariable("PIRAMID_OPERATOR_CLIENT_SECRET") ?? throw new ArgumentException("set PIRAMID_OPERATOR_CLIENT_SECRET");
        using var http = new HttpClient { BaseAddress = new Uri(Option("gateway-url")), Timeout = TimeSpan.FromMinutes(2) };
        var seeder = new DemoSeeder(http, clientId, secret, Option("wordnet", "/usr/share/wordnet"));
        var (tenantId, key) = await seeder.EnsureAsync(Option("state-file"));
        Console.WriteLine(JsonSerializer.Serialize(new Dictionary<string, string> { ["demo_tenant_id"] = tenantId, ["demo_api_key"] = key }));
        return 0;
    }

    /// <summary>Makes sure the demo exists and is fully loaded; returns its tenant id and key.</summary>
    public async Task<(string TenantId, string Key)> EnsureAsync(string stateFile)
    {
        using var admin = await AdminAsync();
        var (tenantId, key) = await ReuseAsync(admin, stateFile) ?? await CreateAsync(admin);
        await File.WriteAllTextAsync(stateFile, JsonSerializer.Serialize(new Dictionary<string, string> { ["demo_tenant_id"] = tenantId, ["demo_api_key"] = key }));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(stateFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        using var tenant = Tenant(key);
        await WaitRoutedAsync(tenant);
        var synsets = DemoDataset.Load(wordnetDirectory);
        if (await CountAsync(tenant) != synsets.Count)
        {
            await LoadAsync(tenant, synsets);
        }

        return (tenantId, key);
    }

    private static async Task<(string, string)?> ReuseAsync(HttpClient admin, string stateFile)
    {
        if (!File.Exists(stateFile))
        {
            return null;
        }

        var state = JsonNode.Parse(await File.ReadAllTextAsync(stateFile))!;
        var tenantId = state["demo_tenant_id"]!.GetValue<string>();
        using var existing = await admin.GetAsync(new Uri($"/v1/tenants/{tenantId}", UriKind.Relative));
        return existing.StatusCode == HttpStatusCode.OK ? (tenantId, state["demo_api_key"]!.GetValue<string>()) : null;
    }

    private static async Task<(string, string)> CreateAsync(HttpClient admin)
    {
        using var created = await admin.PostAsJsonAsync("/v1/tenants", new { name = TenantName, plan = "standard" });
        var tenant = await Checked(created).Content.ReadFromJsonAsync<JsonObject>();
        var tenantId = tenant!["id"]!.GetValue<string>();
        using var keyResponse = await admin.PostAsJsonAsync($"/v1/tenants/{tenantId}/api-keys", new { name = "demo", role = "admin" });
        var key = (await Checked(keyResponse).Content.ReadFromJsonAsync<JsonObject>())!["key"]!.GetValue<string>();
        return (tenantId, key);
    }

    private static async Task LoadAsync(HttpClient tenant, IReadOnlyList<DemoDataset.Synset> synsets)
    {
        using var create = await tenant.PutAsJsonAsync($"/v1/collections/{Collection}", new
        {
            dimension = DemoDataset.Dimension,
            metric = "cosine",
            index = new { type = "hnsw", m = 16, ef_construction = 200 },
        });
        Checked(create);
        for (var start = 0; start < synsets.Count; start += BatchSize)
        {
            var points = synsets.Skip(start).Take(BatchSize).Select(s => new
            {
                id = s.Id,
                vector = s.Vector,
                metadata = new { word = s.Words[0], words = s.Words, gloss = s.Gloss, pos = s.PartOfSpeech },
            });
            using var upsert = await tenant.PostAsJsonAsync($"/v1/collections/{Collection}/points", new { points }, Json);
            Checked(upsert);
        }
    }

    private static async Task<long> CountAsync(HttpClient tenant)
    {
        using var response = await tenant.PostAsJsonAsync($"/v1/collections/{Collection}/count", new { });
        return response.StatusCode == HttpStatusCode.NotFound ? -1 : (await Checked(response).Content.ReadFromJsonAsync<JsonObject>())!["count"]!.GetValue<long>();
    }

    private static async Task WaitRoutedAsync(HttpClient tenant)
    {
        for (var attempt = 0; ; attempt++)
        {
            using var response = await tenant.GetAsync(new Uri("/v1/collections", UriKind.Relative));
            if (response.IsSuccessStatusCode || attempt == 600)
            {
                Checked(response);
                return;
            }

            await Task.Delay(100);
        }
    }

    private async Task<HttpClient> AdminAsync()
    {
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = operatorClientId,
            ["client_secret"] = operatorClientSecret,
        });
        using var response = await gateway.PostAsync(new Uri("/connect/token", UriKind.Relative), form);
        var token = (await Checked(response).Content.ReadFromJsonAsync<JsonObject>())!["access_token"]!.GetValue<string>();
        var admin = new HttpClient { BaseAddress = gateway.BaseAddress, Timeout = gateway.Timeout };
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return admin;
    }

    private HttpClient Tenant(string key)
    {
        var http = new HttpClient { BaseAddress = gateway.BaseAddress, Timeout = gateway.Timeout };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return http;
    }

    private static HttpResponseMessage Checked(HttpResponseMessage response) =>
        response.IsSuccessStatusCode
            ? response
            : throw new InvalidOperationException($"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri} answered {(int)response.StatusCode}: "
                + response.Content.ReadAsStringAsync().GetAwaiter().GetResult());
}

/// <summary>The shipped subset (Demo/Data) joined with WordNet's words and glosses.</summary>
public static class DemoDataset
{
    /// <summary>Vector dimension.</summary>
    public const int Dimension = 256;

    /// <summary>One synset.</summary>
    /// <param name="Id">WordNet id <c>pos:offset</c>.</param>
    /// <param name="PartOfSpeech"><c>noun</c>, <c>verb</c>, <c>adj</c> or <c>adv</c>.</param>
    /// <param name="Words">Lemmas, underscores as spaces.</param>
    /// <param name="Gloss">Definition and examples.</param>
    /// <param name="Vector">Unit-length vector (int8-decoded).</param>
    public sealed record Synset(string Id, string PartOfSpeech, IReadOnlyList<string> Words, string Gloss, float[] Vector);

    /// <summary>Reads the subset next to the binary and looks every synset up in <paramref name="wordnetDirectory"/>.</summary>
    public static IReadOnlyList<Synset> Load(string wordnetDirectory)
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "Demo", "Data");
        var ids = File.ReadAllLines(Path.Combine(folder, "wordnet-demo.ids")).Where(l => l.Length > 0).ToList();
        using var file = File.OpenRead(Path.Combine(folder, "wordnet-demo.bin.gz"));
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        using var reader = new BinaryReader(gzip);
        if (Encoding.ASCII.GetString(reader.ReadBytes(4)) != "PWD1" || reader.ReadInt32() != ids.Count || reader.ReadInt32() != Dimension)
        {
            throw new InvalidDataException("wordnet-demo.bin.gz does not match wordnet-demo.ids");
        }

        var data = new Dictionary<string, FileStream>(StringComparer.Ordinal);
        try
        {
            var synsets = new List<Synset>(ids.Count);
            foreach (var id in ids)
            {
                var scale = reader.ReadSingle();
                var codes = reader.ReadBytes(Dimension);
                var vector = new float[Dimension];
                for (var i = 0; i < Dimension; i++)
                {
                    vector[i] = (sbyte)codes[i] * scale;
                }

                var pos = id[..id.IndexOf(':', StringComparison.Ordinal)];
                if (!data.TryGetValue(pos, out var stream))
                {
                    stream = data[pos] = File.OpenRead(Path.Combine(wordnetDirectory, "data." + pos));
                }

                var (words, gloss) = ReadSynset(stream, long.Parse(id[(pos.Length + 1)..], System.Globalization.CultureInfo.InvariantCulture));
                synsets.Add(new Synset(id, pos, words, gloss, vector));
            }

            return synsets;
        }
        finally
        {
            foreach (var stream in data.Values)
            {
                stream.Dispose();
            }
        }
    }

    // A data.<pos> line: offset lex_filenum ss_type w_cnt(hex) [word lex_id]... p_cnt [pointer]... [frames] | gloss
    private static (IReadOnlyList<string> Words, string Gloss) ReadSynset(FileStream stream, long offset)
    {
        stream.Position = offset;
        var bytes = new List<byte>(512);
        int b;
        while ((b = stream.ReadByte()) is not -1 and not '\n')
        {
            bytes.Add((byte)b);
        }

        var line = Encoding.UTF8.GetString([.. bytes]);
        var bar = line.IndexOf(" | ", StringComparison.Ordinal);
        var fields = line[..(bar < 0 ? line.Length : bar)].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var count = Convert.ToInt32(fields[3], 16);
        var words = Enumerable.Range(0, count)
            .Select(i => fields[4 + (2 * i)].Replace('_', ' '))
            .Select(w => w.EndsWith(')') && w.Contains('(', StringComparison.Ordinal) ? w[..w.IndexOf('(', StringComparison.Ordinal)] : w) // adj markers like (a)
            .Distinct(StringComparer.Ordinal)
            .ToList();
        return (words, bar < 0 ? string.Empty : line[(bar + 3)..].Trim());
    }
}
