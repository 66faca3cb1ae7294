using Piramid.Audit.Cli;

// piramid-audit verify <export.ndjson> --jwks <file | https://.../.well-known/jwks> [--partial]
// Exit codes: 0 verified, 1 verification failed, 2 usage or unreadable input.
var partial = args.Length == 5 && args[4] == "--partial";
if (args.Length != (partial ? 5 : 4) || args[0] != "verify" || args[2] != "--jwks")
{
    await Console.Error.WriteLineAsync("usage: piramid-audit verify <export.ndjson> --jwks <jwks.json | URL of /.well-known/jwks> [--partial]");
    return 2;
}

var exportPath = args[1];
var jwksSource = args[3];

ExportContent content;
AnchorSignature signatures;
try
{
    using (var reader = File.OpenText(exportPath))
    {
        content = ExportReader.Read(reader);
    }

    string jwks;
    if (Uri.TryCreate(jwksSource, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        jwks = await http.GetStringAsync(uri);
    }
    else
    {
        jwks = await File.ReadAllTextAsync(jwksSource);
    }

    signatures = new AnchorSignature(jwks);
}
catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or HttpRequestException or System.Text.Json.JsonException
    or KeyNotFoundException or InvalidOperationException)
{
    await Console.Error.WriteLineAsync($"piramid-audit: {e.Message}");
    return 2;
}

var result = ExportVerifier.Verify(content, signatures, partial);
if (result.IsValid)
{
    Console.WriteLine($"verified: {result.Summary}");
    return 0;
}

Console.WriteLine(result.Source == "control"
    ? $"FAILED at control event {result.FirstBadSeq} (line {result.Line}): {result.Problem}"
    : $"FAILED at entry {result.FirstBadSeq} (line {result.Line}): {result.Problem}");
return 1;
