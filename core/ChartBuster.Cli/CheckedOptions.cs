using System.CommandLine;

namespace ChartBuster.Cli;

/// <summary>Parses text the invariant way (a share is 0.2 on every machine); false when it is not a value at all.</summary>
public delegate bool ValueParser<T>(string text, out T value);

/// <summary>An option that takes only sensible values: text that is no value and a value out of range get one message.</summary>
public static class CheckedOptions
{
    /// <summary>
    /// A parser rather than a validator: System.CommandLine runs validators on text it could not convert, where reading
    /// the value throws; a parser sees the text once and refuses it as a usage error.
    /// </summary>
    public static Option<T> Accepting<T>(this Option<T> option, ValueParser<T> parse, Func<T, bool> isValid, string expected)
    {
        ArgumentNullException.ThrowIfNull(option);
        option.CustomParser = result =>
        {
            var text = result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";
            if (parse(text, out var value) && isValid(value))
            {
                return value;
            }

            result.AddError($"{option.Name} must be {expected}, not '{text}'.");
            return default!;
        };
        return option;
    }
}
