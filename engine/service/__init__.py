"""The engine's façade: web views, CLI commands and test steps call these functions only.

Each function is one transaction, except the jobs that work through many things and take one transaction each
(load_demo, run_scheduler, fire_due_timers, start_duty's scheduler path), as their docstrings say. Errors are
engine.core.errors exceptions with messages fit for users; lists and pages come back as read models.
"""

from engine.service.admin import (  # noqa: F401 - the façade's names
    PROCESSES_DIR,
    DefinitionRow,
    definitions,
    demo_logins,
    deploy_all,
    deploy_file,
    fire_due_timers,
    init_db,
    list_plans,
    load_demo,
    load_plan,
    organisation_actor,
    organisations,
    plan_registry,
    plan_registry_source,
    run_scheduler,
    validate_file,
)
from engine.service.cases import (  # noqa: F401 - the façade's names
    StartChoices,
    cancel_instance,
    complete_task,
    instance_diagram,
    instance_view,
    list_instances,
    my_work_items,
    parse_form,
    plan_of_org,
    plan_year,
    start_choices,
    start_duty,
    start_instance,
    start_process,
    startable_duties,
    submit_task,
    task_context,
    task_form,
)
from engine.service.lists import (  # noqa: F401 - the façade's names
    delete_filter,
    instance_list_page,
    save_filter,
    work_list_page,
)
from engine.service.manager import (  # noqa: F401 - the façade's names
    ManagerPanel,
    approve_contribution,
    assignees,
    claim_task,
    manager_panel,
    reassign_task,
    release_task,
    return_contribution,
)
from engine.service.people import (  # noqa: F401 - the façade's names
    actor_for_login,
    actor_for_user,
    authenticate,
    end_sessions,
    organisation_name,
    people_names,
    unit_names,
    working_units,
)
from engine.service.plugin_parts import (  # noqa: F401 - the façade's names
    Download,
    PanelView,
    export_instance,
    instance_exports,
    instance_panel,
    task_panel,
)
from engine.service.task_page import (  # noqa: F401 - the façade's names
    InstanceExtras,
    Submitted,
    TaskPage,
    add_comment,
    attach_file,
    attachment_download,
    instance_extras,
    save_draft,
    send_back_contribution,
    submit_task_page,
    task_page,
)
