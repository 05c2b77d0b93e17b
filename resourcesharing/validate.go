package resourcesharing

import (
	"fmt"

	"github.com/resourcekit/alicloud"
)

// Constraints the API description cannot express, written by hand. The
// generated Validate methods call validateCustom after the generated checks.

// resourcePairs checks that each Resources entry names both its ID and its
// type: the service treats them as one pair.
func resourcePairs(op string, resources []Resource) error {
	for i, r := range resources {
		if (r.ResourceId == "") != (r.ResourceType == "") {
			missing := "ResourceType"
			if r.ResourceId == "" {
				missing = "ResourceId"
			}
			return &alicloud.ValidationError{
				Operation: op,
				Field:     fmt.Sprintf("Resources.%d.%s", i+1, missing),
				Reason:    "ResourceId and ResourceType must be set together",
				Code:      ErrInvalidParameterResources,
			}
		}
	}
	return nil
}

func (r *AssociateResourceShareRequest) validateCustom() error {
	if err := resourcePairs("AssociateResourceShare", r.Resources); err != nil {
		return err
	}
	if len(r.Resources)+len(r.ResourceArns)+len(r.ResourceProperties) == 0 && len(r.Targets)+len(r.TargetProperties) == 0 {
		return &alicloud.ValidationError{
			Operation: "AssociateResourceShare",
			Field:     "Resources, Targets",
			Reason:    "either a resource or a target must be specified",
			Code:      ErrResourceAndTargetBothEmpty,
		}
	}
	return nil
}

func (r *DisassociateResourceShareRequest) validateCustom() error {
	if err := resourcePairs("DisassociateResourceShare", r.Resources); err != nil {
		return err
	}
	if len(r.Resources)+len(r.ResourceArns) == 0 && len(r.Targets) == 0 {
		return &alicloud.ValidationError{
			Operation: "DisassociateResourceShare",
			Field:     "Resources, Targets",
			Reason:    "either a resource or a target must be specified",
			Code:      ErrResourceAndTargetBothEmpty,
		}
	}
	return nil
}

func (r *CreateResourceShareRequest) validateCustom() error {
	return resourcePairs("CreateResourceShare", r.Resources)
}
