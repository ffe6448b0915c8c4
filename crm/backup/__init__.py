"""Backup and restore of an installation: the database and the attachment files in one archive.

``crm backup`` and the nightly ``backup`` job write an archive (crm.domain.backups) while the app runs;
``crm restore`` puts one back into an empty database and attachment folder.
"""
