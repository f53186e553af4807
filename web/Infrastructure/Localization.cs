using System.Collections.Concurrent;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using CallReview.Web.Features.Shared;
using Microsoft.AspNetCore.Mvc.ModelBinding.Metadata;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Localization;

namespace CallReview.Web.Infrastructure;

/// <summary>
/// ASP.NET Core's localisation wired to the one resource, <see cref="Text"/>: views, DataAnnotations messages and
/// the request's culture (<see cref="Languages"/>), which also formats dates and numbers.
/// </summary>
public static class Localization
{
    public static void AddCallReviewLocalization(this IServiceCollection services, IMvcBuilder mvc, IConfiguration configuration)
    {
        services.AddLocalization();
        services.AddSingleton<ResourceManagerStringLocalizerFactory>();
        services.Replace(ServiceDescriptor.Singleton<IStringLocalizerFactory, CachedStringLocalizerFactory>());
        mvc.AddViewLocalization()
            .AddDataAnnotationsLocalization(o => o.DataAnnotationLocalizerProvider = (_, factory) => factory.Create(typeof(Text)))
            .AddMvcOptions(o => o.ModelMetadataDetailsProviders.Add(new MessageKeys()));
        services.AddSingleton(Languages.Options(configuration["CallReview:Language"] ?? "en"));
    }

    public static void UseCallReviewLocalization(this IApplicationBuilder app) =>
        app.UseRequestLocalization(app.ApplicationServices.GetRequiredService<Microsoft.AspNetCore.Builder.RequestLocalizationOptions>());

    /// <summary>
    /// DataAnnotations localises only messages that are set: give the built-in attributes their English message as
    /// the key, so "required" and "too short" reach the resources too.
    /// </summary>
    private sealed class MessageKeys : IValidationMetadataProvider
    {
        public void CreateValidationMetadata(ValidationMetadataProviderContext context)
        {
            foreach (var attribute in context.ValidationMetadata.ValidatorMetadata.OfType<ValidationAttribute>())
            {
                if (attribute.ErrorMessage is not null || attribute.ErrorMessageResourceName is not null)
                    continue;
                var key = attribute switch
                {
                    RequiredAttribute => "The {0} field is required.",
                    EmailAddressAttribute => "The {0} field is not a valid e-mail address.",
                    StringLengthAttribute { MinimumLength: > 0 } => "The field {0} must be a string with a minimum length of {2} and a maximum length of {1}.",
                    MinLengthAttribute => "The field {0} must be at least {1} characters long.",
                    _ => null,
                };
                // Assigning null would count as a message set, and break the attribute's own.
                if (key is not null)
                    attribute.ErrorMessage = key;
            }
        }
    }

    /// <summary>
    /// The resource localizers, each string remembered per culture: <see cref="System.Resources.ResourceManager"/> walks
    /// the culture's fallbacks under a lock on every lookup, and a page asks for a hundred or more strings (a sampled
    /// trace of the review page under load put an eighth of its time there, much of it waiting on that lock). The
    /// resources are compiled in, so a string once found stays right.
    /// </summary>
    internal sealed class CachedStringLocalizerFactory(ResourceManagerStringLocalizerFactory resources) : IStringLocalizerFactory
    {
        private readonly ConcurrentDictionary<(Type?, string?, string?), IStringLocalizer> _localizers = new();

        public IStringLocalizer Create(Type resourceSource) =>
            _localizers.GetOrAdd((resourceSource, null, null), _ => new CachedStringLocalizer(resources.Create(resourceSource)));

        public IStringLocalizer Create(string baseName, string location) =>
            _localizers.GetOrAdd((null, baseName, location), _ => new CachedStringLocalizer(resources.Create(baseName, location)));
    }

    internal sealed class CachedStringLocalizer(IStringLocalizer resources) : IStringLocalizer
    {
        /// <summary>Keys are the code's literals, but a bound keeps a key made from data from growing the cache without end.</summary>
        private const int MaxStrings = 50_000;

        private readonly ConcurrentDictionary<(string Culture, string Name), LocalizedString> _strings = new();

        public LocalizedString this[string name]
        {
            get
            {
                var key = (CultureInfo.CurrentUICulture.Name, name);
                if (_strings.TryGetValue(key, out var found))
                    return found;
                found = resources[name];
                if (_strings.Count < MaxStrings)
                    _strings.TryAdd(key, found);
                return found;
            }
        }

        /// <summary>As the resource localizer does: the format (the name when missing) filled in the current culture.</summary>
        public LocalizedString this[string name, params object[] arguments]
        {
            get
            {
                var format = this[name];
                return new LocalizedString(name, string.Format(CultureInfo.CurrentCulture, format.Value, arguments), format.ResourceNotFound, format.SearchedLocation);
            }
        }

        public IEnumerable<LocalizedString> GetAllStrings(bool includeParentCultures) => resources.GetAllStrings(includeParentCultures);
    }
}
