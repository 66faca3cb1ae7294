namespace Piramid.EndToEnd.Tests.Support;

/// <summary>Polling for conditions that become true on their own (an engine restarting, a route arriving).</summary>
public static class Eventually
{
    /// <summary>Waits until GET <paramref name="path"/> answers 2xx.</summary>
    public static async Task SucceedsAsync(HttpClient http, string path, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        var last = "no answer";
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                using var response = await http.GetAsync(new Uri(path, UriKind.Relative));
                if (response.IsSuccessStatusCode)
                {
                    return;
                }

                last = $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
            }
            catch (HttpRequestException e)
            {
                last = e.Message;
            }

            await Task.Delay(200);
        }

        throw new Xunit.Sdk.XunitException($"GET {path} never succeeded within {within}: {last}");
    }
}
