using Piramid.OpenApi;

// Writes docs/openapi.json from the code; `--check` only says whether the committed one is current (exit 1 if not).
var root = OpenApiGenerator.RepositoryRoot(AppContext.BaseDirectory);
var path = OpenApiGenerator.DocumentPath(root);
var text = OpenApiGenerator.GenerateText();
var current = File.Exists(path) ? await File.ReadAllTextAsync(path) : null;
if (args is ["--check"])
{
    if (current == text)
    {
        Console.WriteLine($"{path} is current.");
        return 0;
    }

    await Console.Error.WriteLineAsync($"{path} is stale; regenerate it with: {OpenApiGenerator.RegenerateCommand}");
    return 1;
}

await File.WriteAllTextAsync(path, text, OpenApiGenerator.Utf8);
Console.WriteLine(current == text ? $"{path} was already current." : $"wrote {path} ({text.Length} characters)");
return 0;
