/** The four notifications an employer sends from the form. */
export type NotificationKind = 'acquisition' | 'dependent_add' | 'loss' | 'dependent_remove';
