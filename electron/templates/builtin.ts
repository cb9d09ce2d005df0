import { Template } from '../../shared/template';
import customerSupportOrders from './builtin/customer-support-orders.json';
import dentalAppointments from './builtin/dental-appointments.json';
import restaurantReservations from './builtin/restaurant-reservations.json';
import salesLeadQualification from './builtin/sales-lead-qualification.json';
import satisfactionSurvey from './builtin/satisfaction-survey.json';
import receptionistRouting from './builtin/receptionist-routing.json';
import subscriptionRetention from './builtin/subscription-retention.json';
import afterHoursOutages from './builtin/after-hours-outages.json';

/**
 * The templates Parley ships, as data files: the same schema validates them as the templates
 * users save, so a built-in is nothing a user could not have written. Bundled with the code
 * (imported, not read from disk) so the desktop app, the preview and the CLI all have them.
 */
export const BUILT_IN_DATA: readonly unknown[] = [
  customerSupportOrders,
  dentalAppointments,
  restaurantReservations,
  salesLeadQualification,
  satisfactionSurvey,
  receptionistRouting,
  subscriptionRetention,
  afterHoursOutages,
];

let parsed: Template[] | undefined;

/** The built-in templates, validated on first use. */
export function builtInTemplates(): Template[] {
  parsed ??= BUILT_IN_DATA.map((data) => Template.parse(data));
  return parsed;
}
