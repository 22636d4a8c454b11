/** The custom event definitions the sandbox portal starts with. */

/** Event definitions the portal starts with (bodies as `POST /events/v3/event-definitions` takes them). */
export function seedEvents(): Record<string, unknown>[] {
  return [
    {
      label: "Signed up",
      name: "signed_up",
      primaryObject: "CONTACT",
      propertyDefinitions: [
        {
          name: "plan",
          label: "Plan",
          type: "enumeration",
          options: ["free", "pro", "enterprise"].map((value) => ({ label: value, value })),
        },
        { name: "source", label: "Source", type: "string" },
        { name: "seats", label: "Seats", type: "number" },
      ],
    },
    {
      label: "Feature used",
      name: "feature_used",
      primaryObject: "CONTACT",
      propertyDefinitions: [
        { name: "feature", label: "Feature", type: "string" },
        { name: "page_url", label: "Page URL", type: "string" },
      ],
    },
  ];
}
