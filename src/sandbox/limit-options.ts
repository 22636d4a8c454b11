/** The sandbox's custom-property limits, as the `customPropertyLimits` option sets them (limits.ts). */
import * as z from "zod";

export const PropertyLimitOptionsSchema = z
  .object({
    /** Custom properties each object may have. @default 1000 */
    perObject: z.number().int().min(0).default(1000),
    /** Limits for some objects (by name or type id), instead of `perObject`. */
    byObjectType: z.record(z.string(), z.number().int().min(0)).default({}),
    /** Custom properties across all objects. @default the sum of the objects' limits */
    overall: z.number().int().min(0).optional(),
  })
  .default({ perObject: 1000, byObjectType: {} });
export type PropertyLimitOptions = z.output<typeof PropertyLimitOptionsSchema>;
