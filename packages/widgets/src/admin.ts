// The admin pages' script (/admin.js): defines <palco-admin>, which the backend's /admin/events shell renders.
import { defineAdminElement } from './admin/element.js';

defineAdminElement();
