using System.Collections.Concurrent;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using CallReview.Web.Features.Shared;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.DataAnnotations;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Mvc.ModelBinding.Metadata;
using Microsoft.AspNetCore.Mvc.ModelBinding.Validation;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Localization;

namespace CallReview.Web.Infrastructure;

/// <summary>
/// ASP.NET Core's localisation wired to the one resource, <see cref="Text"/>: views, DataAnnotations messages (with
/// the fields' names), model binding's refusals and the request's culture (<see cref="Languages"/>), which also formats dates and numbers.
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
        services.AddOptions<MvcOptions>().Configure<IStringLocalizerFactory>((o, factory) =>
        {
            var text = factory.Create(typeof(Text));
            o.ModelMetadataDetailsProviders.Add(new FieldNames(text));
            SayBindingMessages(o.ModelBindingMessageProvider, text);
        });
        services.Replace(ServiceDescriptor.Singleton<IValidationAttributeAdapterProvider, Adapters>());
        services.AddSingleton(Languages.Options(configuration["CallReview:Language"] ?? "en"));
    }

    public static void UseCallReviewLocalization(this IApplicationBuilder app) =>
        app.UseRequestLocalization(app.ApplicationServices.GetRequiredService<Microsoft.AspNetCore.Builder.RequestLocalizationOptions>());

    /// <summary>
    /// The English message, a key of <see cref="Text"/>, of a built-in attribute that has none of its own (its
    /// placeholders as the attribute fills them); null for one that has its own or that this app does not use.
    /// </summary>
    public static string? MessageKey(ValidationAttribute attribute) =>
        attribute.ErrorMessage is not null || attribute.ErrorMessageResourceName is not null ? null : attribute switch
        {
            RequiredAttribute => "The {0} field is required.",
            EmailAddressAttribute => "The {0} field is not a valid e-mail address.",
            StringLengthAttribute { MinimumLength: > 0 } => "The field {0} must be a string with a minimum length of {2} and a maximum length of {1}.",
            StringLengthAttribute => "The field {0} must be at most {1} characters long.",
            MinLengthAttribute => "The field {0} must be at least {1} characters long.",
            MaxLengthAttribute => "The field {0} must be at most {1} characters long.",
            RangeAttribute => "The field {0} must be between {1} and {2}.",
            RegularExpressionAttribute => "The field {0} is not in the expected form.",
            CompareAttribute => "'{0}' and '{1}' do not match.",
            _ => null,
        };

    /// <summary>
    /// DataAnnotations localises only messages that are set: give the built-in attributes their English message as
    /// the key, so "required", "too short" and "out of range" reach the resources too.
    /// </summary>
    private sealed class MessageKeys : IValidationMetadataProvider
    {
        public void CreateValidationMetadata(ValidationMetadataProviderContext context)
        {
            foreach (var attribute in context.ValidationMetadata.ValidatorMetadata.OfType<ValidationAttribute>())
            {
                // Assigning null would count as a message set, and break the attribute's own.
                if (MessageKey(attribute) is { } key)
                    attribute.ErrorMessage = key;
            }
        }
    }

    /// <summary>
    /// A form field's name in messages ("The {0} field is required."): its Display name when it has one (which
    /// DataAnnotations localises), else its property's or parameter's name in words ("NewPassword" → "New password") when that is a
    /// key, else the property name as it is.
    /// </summary>
    private sealed class FieldNames(IStringLocalizer text) : IDisplayMetadataProvider
    {
        public void CreateDisplayMetadata(DisplayMetadataProviderContext context)
        {
            if (context.Key.MetadataKind is not (ModelMetadataKind.Property or ModelMetadataKind.Parameter)
                || context.DisplayMetadata.DisplayName is not null || context.Key.Name is not { } name)
                return;
            context.DisplayMetadata.DisplayName = () => SayField(text, name, null, name);
        }
    }

    /// <summary>A field's name for the reader: its Display name, else its name in words, when that is a key; else <paramref name="otherwise"/>.</summary>
    public static string SayField(IStringLocalizer text, string name, DisplayAttribute? display, string otherwise) =>
        text[display?.Name ?? FieldName(name)] is { ResourceNotFound: false } found ? found.Value : otherwise;

    /// <summary>A property's or parameter's name in words: "CustomerPhone" → "Customer phone", "days" → "Days".</summary>
    public static string FieldName(string name) =>
        string.Concat(name.Select((c, i) => i == 0 ? char.ToUpperInvariant(c).ToString()
            : char.IsUpper(c) && !char.IsUpper(name[i - 1]) ? " " + char.ToLowerInvariant(c) : c.ToString()));

    /// <summary>Model binding's own refusals ("The value 'x' is not valid for Days.") in the reader's language.</summary>
    private static void SayBindingMessages(DefaultModelBindingMessageProvider messages, IStringLocalizer text)
    {
        messages.SetMissingBindRequiredValueAccessor(field => text["A value for the '{0}' parameter or property was not provided.", field]);
        messages.SetMissingKeyOrValueAccessor(() => text["A value is required."]);
        messages.SetMissingRequestBodyRequiredValueAccessor(() => text["A non-empty request body is required."]);
        messages.SetValueMustNotBeNullAccessor(value => text["The value '{0}' is invalid.", value]);
        messages.SetAttemptedValueIsInvalidAccessor((value, field) => text["The value '{0}' is not valid for {1}.", value, field]);
        messages.SetNonPropertyAttemptedValueIsInvalidAccessor(value => text["The value '{0}' is not valid.", value]);
        messages.SetUnknownValueIsInvalidAccessor(field => text["The supplied value is invalid for {0}.", field]);
        messages.SetNonPropertyUnknownValueIsInvalidAccessor(() => text["The supplied value is invalid."]);
        messages.SetValueIsInvalidAccessor(value => text["The value '{0}' is invalid.", value]);
        messages.SetValueMustBeANumberAccessor(field => text["The field {0} must be a number.", field]);
        messages.SetNonPropertyValueMustBeANumberAccessor(() => text["The field must be a number."]);
    }

    /// <summary>MVC's adapters (which say an attribute's message through the localizer), and one for <see cref="FitsColumnAttribute"/>.</summary>
    private sealed class Adapters : IValidationAttributeAdapterProvider
    {
        private readonly ValidationAttributeAdapterProvider _builtIn = new();

        public IAttributeAdapter? GetAttributeAdapter(ValidationAttribute attribute, IStringLocalizer? stringLocalizer) =>
            attribute is FitsColumnAttribute fits ? new FitsColumnAdapter(fits, stringLocalizer) : _builtIn.GetAttributeAdapter(attribute, stringLocalizer);
    }

    private sealed class FitsColumnAdapter(FitsColumnAttribute attribute, IStringLocalizer? text) : AttributeAdapterBase<FitsColumnAttribute>(attribute, text)
    {
        public override void AddValidation(ClientModelValidationContext context)
        {
        }

        public override string GetErrorMessage(ModelValidationContextBase validationContext) =>
            GetErrorMessage(validationContext.ModelMetadata, validationContext.ModelMetadata.GetDisplayName(), Attribute.MaxLength);
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
